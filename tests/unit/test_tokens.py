"""`TokenIssuer`: HS256 JWTs carrying account, client and scopes; anything else is a 401."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from shopping.auth.principal import Principal
from shopping.auth.tokens import ISSUER, TokenIssuer, audience
from shopping.errors import Unauthorized

SECRET = "unit-test-secret-" + "z" * 40
NOW = datetime(2030, 5, 17, 12, 0, 0, tzinfo=UTC)
PRINCIPAL = Principal("T12345678", "client-1", frozenset({"write:shopping", "admin:discounts"}))


def issuer(ttl: int = 3600, at: datetime | None = None) -> TokenIssuer:
    if at is None:
        return TokenIssuer(SECRET, ttl)
    return TokenIssuer(SECRET, ttl, clock=lambda: at)


def valid_claims() -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    return {
        "iss": ISSUER,
        "sub": "client-1",
        "aud": audience("T12345678"),
        "account_id": "T12345678",
        "scope": "read:shopping",
        "iat": now,
        "exp": now + 600,
    }


def sign(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_token_round_trips_to_the_same_principal() -> None:
    tokens = issuer()

    assert tokens.verify(tokens.issue(PRINCIPAL)) == PRINCIPAL


def test_a_principal_without_scopes_round_trips() -> None:
    tokens = issuer()
    principal = Principal("P00000001", "c", frozenset())

    assert tokens.verify(tokens.issue(principal)) == principal


def test_the_claims_follow_the_clock_and_the_ttl() -> None:
    token = issuer(ttl=14400, at=NOW).issue(PRINCIPAL)

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert claims == {
        "iss": ISSUER,
        "sub": "client-1",
        "aud": "https://api.dintero.com/v1/accounts/T12345678",
        "account_id": "T12345678",
        "scope": "admin:discounts write:shopping",
        "iat": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 14400,
    }


def test_a_token_issued_by_another_clock_instance_is_verified() -> None:
    """Verification uses the real time, not the issuer's clock."""
    just_now = datetime.now(UTC) - timedelta(seconds=30)
    token = issuer(ttl=3600, at=just_now).issue(PRINCIPAL)

    assert issuer().verify(token) == PRINCIPAL


def test_an_expired_token_says_it_expired() -> None:
    token = issuer(ttl=60, at=datetime.now(UTC) - timedelta(minutes=5)).issue(PRINCIPAL)

    with pytest.raises(Unauthorized, match="expired") as caught:
        issuer().verify(token)

    assert caught.value.status_code == 401
    assert caught.value.headers == {"WWW-Authenticate": "Bearer"}


def test_a_token_with_another_secret_is_rejected() -> None:
    token = TokenIssuer("another-secret-" + "q" * 40, 3600).issue(PRINCIPAL)

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(token)


def test_a_tampered_payload_is_rejected() -> None:
    token = issuer().issue(Principal("T12345678", "c", frozenset({"read:shopping"})))
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "admin:shopping"
    claims["account_id"] = "T87654321"
    forged = f"{header}.{b64(json.dumps(claims).encode())}.{signature}"

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(forged)


def test_a_tampered_signature_is_rejected() -> None:
    token = issuer().issue(PRINCIPAL)
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(f"{header}.{payload}.{flipped}")


@pytest.mark.parametrize("token", ["", "garbage", "a.b", "a.b.c", "...."])
def test_a_token_that_is_not_a_jwt_is_rejected(token: str) -> None:
    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(token)


def test_an_unsigned_token_is_rejected() -> None:
    token = jwt.encode(valid_claims(), None, algorithm="none")

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(token)


def test_a_token_signed_with_another_hmac_algorithm_is_rejected() -> None:
    token = sign(valid_claims(), algorithm="HS384")

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(token)


def test_hand_built_valid_claims_are_accepted() -> None:
    """Control for the claim tests below: only the change each makes is what fails."""
    assert issuer().verify(sign(valid_claims())) == Principal(
        "T12345678", "client-1", frozenset({"read:shopping"})
    )


@pytest.mark.parametrize("claim", ["iss", "sub", "aud", "iat", "exp", "account_id"])
def test_a_token_missing_a_required_claim_is_rejected(claim: str) -> None:
    claims = valid_claims()
    del claims[claim]

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(sign(claims))


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iss", "someone-else"),
        ("account_id", 12345678),
        ("account_id", None),
        ("scope", ["admin:shopping"]),
        ("scope", 1),
        ("exp", "tomorrow"),
    ],
)
def test_a_token_with_a_wrongly_typed_or_foreign_claim_is_rejected(claim: str, value: Any) -> None:
    claims = {**valid_claims(), claim: value}

    with pytest.raises(Unauthorized, match="invalid"):
        issuer().verify(sign(claims))


def test_a_token_without_scope_has_no_scopes() -> None:
    claims = valid_claims()
    del claims["scope"]

    principal = issuer().verify(sign(claims))

    assert principal.scopes == frozenset()
    assert not principal.has_any({"admin:shopping", "read:shopping"})


def test_scopes_are_split_on_whitespace() -> None:
    claims = {**valid_claims(), "scope": "  read:shopping   write:shopping "}

    principal = issuer().verify(sign(claims))

    assert principal.scopes == frozenset({"read:shopping", "write:shopping"})


def test_the_audience_names_the_account() -> None:
    assert audience("P00000042") == "https://api.dintero.com/v1/accounts/P00000042"
