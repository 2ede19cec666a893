"""`clients list` and `clients revoke`: a revoked client gets no new token at once; tokens it
already holds keep working until they expire (bearer checks read no database)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from shopping.commands.clients import store_client
from shopping.db.migrations import upgrade
from tests.cli.conftest import shopping_api
from tests.conftest import TEST_SECRET
from tests.support.completion import extra_app, settings_for

ACCOUNT = "T31415926"
OTHER = "T27182818"


def cli(url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = shopping_api(url, *args, cwd=tmp_path, SHOPPING_JWT_SECRET=TEST_SECRET)
    return result.returncode, result.stdout, result.stderr


async def create(url: str, account: str, name: str, *scopes: str) -> dict[str, str]:
    """A client made in-process, the way `clients create` makes it (quicker than a process)."""
    client = await store_client(settings_for(url), account, list(scopes), name)
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "account_id": client.account_id,
    }


@pytest.fixture
async def migrated(empty_database: str) -> str:
    await asyncio.to_thread(upgrade, empty_database)  # alembic runs its own event loop
    return empty_database


def listed(url: str, tmp_path: Path, account: str) -> list[dict[str, object]]:
    code, out, err = cli(url, tmp_path, "clients", "list", "--account", account, "--json")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


async def token_status(url: str, client: dict[str, str]) -> tuple[int, str | None]:
    async with extra_app(url) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.post(
                f"/v1/accounts/{client['account_id']}/auth/token",
                json={"grant_type": "client_credentials"},
                auth=(client["client_id"], client["client_secret"]),
            )
    token = response.json().get("access_token") if response.status_code == 200 else None
    return response.status_code, token


async def drafts_status(url: str, account: str, token: str) -> int:
    async with extra_app(url) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get(
                f"/v1/accounts/{account}/shopping/draft_orders",
                headers={"Authorization": f"Bearer {token}"},
            )
    return response.status_code


async def test_list_shows_the_accounts_clients_without_secrets(
    tmp_path: Path, migrated: str
) -> None:
    shop = await create(migrated, ACCOUNT, "shop", "write:shopping", "read:shopping")
    hooks = await create(migrated, ACCOUNT, "hooks", "admin:hooks")
    await create(migrated, OTHER, "elsewhere", "admin:shopping")

    clients = listed(migrated, tmp_path, ACCOUNT)

    assert [(c["client_id"], c["name"], c["scopes"], c["revoked_at"]) for c in clients] == [
        (shop["client_id"], "shop", ["read:shopping", "write:shopping"], None),
        (hooks["client_id"], "hooks", ["admin:hooks"], None),
    ]
    assert all(c["account_id"] == ACCOUNT for c in clients)
    code, out, _ = cli(migrated, tmp_path, "clients", "list", "--account", ACCOUNT)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [shop["client_id"], hooks["client_id"]]
    assert "active" in lines[0]
    assert shop["client_secret"] not in out


async def test_an_account_without_clients_lists_nothing_and_says_so(
    tmp_path: Path, migrated: str
) -> None:
    await create(migrated, OTHER, "elsewhere", "admin:shopping")

    code, out, err = cli(migrated, tmp_path, "clients", "list", "--account", ACCOUNT)

    assert (code, out) == (0, "")
    assert f"account {ACCOUNT} has no clients" in err


async def test_a_revoked_client_gets_no_new_token_and_its_tokens_run_out(
    tmp_path: Path, migrated: str
) -> None:
    revoked = await create(migrated, ACCOUNT, "old", "admin:shopping")
    kept = await create(migrated, ACCOUNT, "new", "admin:shopping")
    status, token = await token_status(migrated, revoked)
    assert status == 200
    assert token is not None

    code, out, err = cli(
        migrated, tmp_path, "clients", "revoke", "--account", ACCOUNT, revoked["client_id"]
    )

    assert (code, out) == (0, "")
    assert f"client {revoked['client_id']} revoked" in err
    assert "when they expire" in err
    assert (await token_status(migrated, revoked))[0] == 401
    assert (await token_status(migrated, kept))[0] == 200
    # the documented choice: a token issued before the revocation works until it expires
    assert await drafts_status(migrated, ACCOUNT, token) == 200
    by_id = {c["client_id"]: c for c in listed(migrated, tmp_path, ACCOUNT)}
    assert by_id[revoked["client_id"]]["revoked_at"] is not None
    assert by_id[kept["client_id"]]["revoked_at"] is None


async def test_revoking_twice_keeps_the_first_time_and_unknown_clients_are_an_error(
    tmp_path: Path, migrated: str
) -> None:
    client = await create(migrated, ACCOUNT, "x", "read:shopping")
    revoke = ("clients", "revoke", "--account", ACCOUNT, client["client_id"])
    assert cli(migrated, tmp_path, *revoke)[0] == 0
    (first,) = listed(migrated, tmp_path, ACCOUNT)

    code, _, err = cli(migrated, tmp_path, *revoke)

    assert code == 0
    assert "already revoked" in err
    assert listed(migrated, tmp_path, ACCOUNT) == [first]
    # another account's client is not this account's to revoke
    code, _, err = cli(
        migrated, tmp_path, "clients", "revoke", "--account", OTHER, client["client_id"]
    )
    assert code == 1
    assert f"account {OTHER} has no client {client['client_id']}" in err
    assert f"clients list --account {OTHER}" in err


def test_list_and_revoke_refuse_a_database_that_does_not_exist(tmp_path: Path) -> None:
    url = "sqlite+aiosqlite:///./nothing-here.db"
    for args in (("list", "--account", ACCOUNT), ("revoke", "--account", ACCOUNT, "some-id")):
        code, out, err = cli(url, tmp_path, "clients", *args)

        assert (code, out) == (2, "")
        assert f"there is no file {tmp_path.resolve() / 'nothing-here.db'}" in err
    assert list(tmp_path.iterdir()) == []


def test_list_refuses_an_unmigrated_database(tmp_path: Path, empty_database: str) -> None:
    if empty_database.startswith("sqlite"):
        Path(empty_database.partition(":///")[2]).touch()  # an empty file, no schema

    code, out, err = cli(empty_database, tmp_path, "clients", "list", "--account", ACCOUNT)

    assert (code, out) == (2, "")
    assert "no shopping-api schema yet; run `shopping-api migrate` first" in err


def test_list_refuses_a_bad_account(tmp_path: Path) -> None:
    code, out, err = cli("sqlite+aiosqlite:///x.db", tmp_path, "clients", "list", "--account", "X1")

    assert (code, out) == (2, "")
    assert "--account must be T (test) or P (production) followed by 8 digits" in err
