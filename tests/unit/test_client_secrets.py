"""Client secrets: generated at random, stored only as salted scrypt hashes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from shopping.auth.client_secrets import hash_secret, new_secret, verify_secret

HASH_FORMAT = re.compile(r"scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{128}")


@pytest.fixture(scope="module")
def secret() -> str:
    return new_secret()


@pytest.fixture(scope="module")
def stored(secret: str) -> str:
    return hash_secret(secret)


def test_new_secrets_are_long_random_and_url_safe() -> None:
    secrets = {new_secret() for _ in range(20)}

    assert len(secrets) == 20
    for secret in secrets:
        assert len(secret) >= 40
        assert re.fullmatch(r"[A-Za-z0-9_-]+", secret)


def test_the_hash_has_the_documented_format_and_not_the_secret(secret: str, stored: str) -> None:
    assert HASH_FORMAT.fullmatch(stored), stored
    assert secret not in stored
    assert len(stored) <= 255  # fits api_clients.secret_hash


def test_the_same_secret_hashes_differently_each_time(secret: str, stored: str) -> None:
    again = hash_secret(secret)

    assert again != stored
    assert verify_secret(secret, again)


def test_the_right_secret_verifies(secret: str, stored: str) -> None:
    assert verify_secret(secret, stored) is True


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda secret, stored: "", id="empty"),
        pytest.param(lambda secret, stored: "wrong", id="other"),
        pytest.param(lambda secret, stored: secret[:-1], id="prefix"),
        pytest.param(lambda secret, stored: secret + "x", id="with-suffix"),
        pytest.param(lambda secret, stored: secret.swapcase(), id="case"),
        pytest.param(lambda secret, stored: stored, id="the-hash-itself"),
    ],
)
def test_a_wrong_secret_does_not_verify(
    secret: str, stored: str, attempt: Callable[[str, str], str]
) -> None:
    assert verify_secret(attempt(secret, stored), stored) is False


def test_a_hash_with_a_changed_digest_does_not_verify(secret: str, stored: str) -> None:
    head, _, digest = stored.rpartition("$")
    changed = f"{head}${'0' if digest[0] != '0' else '1'}{digest[1:]}"

    assert verify_secret(secret, changed) is False


def test_a_hash_with_a_changed_salt_does_not_verify(secret: str, stored: str) -> None:
    scheme, n, r, p, salt, digest = stored.split("$")
    changed = "$".join([scheme, n, r, p, ("f" if salt[0] != "f" else "e") + salt[1:], digest])

    assert verify_secret(secret, changed) is False


@pytest.mark.parametrize(
    "malformed",
    [
        pytest.param("", id="empty"),
        pytest.param("plaintext-secret", id="no-separators"),
        pytest.param("scrypt$16384$8$1", id="too-few-parts"),
        pytest.param("scrypt$16384$8$1$00$00$00", id="too-many-parts"),
        pytest.param("bcrypt$16384$8$1$00$00", id="other-scheme"),
        pytest.param("scrypt$16384$8$1$$", id="empty-salt-and-digest"),
        pytest.param("scrypt$16384$8$1$00$not-hex", id="digest-not-hex"),
    ],
)
def test_a_malformed_stored_hash_does_not_verify(secret: str, malformed: str) -> None:
    assert verify_secret(secret, malformed) is False


@pytest.mark.parametrize(
    "malformed",
    [
        pytest.param("scrypt$16384$8$1$not-hex$00", id="salt-not-hex"),
        pytest.param("scrypt$many$8$1$00$00", id="n-not-a-number"),
        pytest.param("scrypt$3$8$1$00$00", id="n-not-a-power-of-two"),
    ],
)
def test_a_corrupt_stored_hash_does_not_verify(secret: str, malformed: str) -> None:
    assert verify_secret(secret, malformed) is False
