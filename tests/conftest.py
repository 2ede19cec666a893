"""Test harness: every API test runs once on SQLite and once on Postgres.

Each backend gets its own throw-away database per test session, built by running the
migrations (so the migrations are what is tested). Tests isolate themselves by working in a
fresh random account: every table and query is keyed by account, so no test sees another's data.

Postgres: `SHOPPING_TEST_POSTGRES_URL` (default: local server, role root). When it cannot be
reached the Postgres half is skipped — unless `SHOPPING_TEST_REQUIRE_POSTGRES=1` (or `CI=true`),
where that is an error, so CI can never pass without having run it.
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from shopping.app import create_app
from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.config import Settings
from tests.support.contract import ContractTransport
from tests.support.databases import postgres_available, temporary_postgres, temporary_sqlite

BACKENDS = ["sqlite", "postgres"]
TEST_SECRET = "test-secret-" + "x" * 40


def postgres_required() -> bool:
    return os.environ.get("SHOPPING_TEST_REQUIRE_POSTGRES") == "1" or os.environ.get("CI") == "true"


def ensure_postgres() -> None:
    """Skip the test when the test server cannot be reached; fail instead where Postgres is
    required (CI)."""
    if not postgres_available():
        if postgres_required():
            pytest.fail("Postgres is required (CI) but cannot be reached", pytrace=False)
        pytest.skip("Postgres is not reachable; set SHOPPING_TEST_POSTGRES_URL")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        with temporary_sqlite(tmp_path_factory.mktemp("sqlite")) as url:
            yield url
        return
    ensure_postgres()
    with temporary_postgres() as url:
        yield url


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(Settings(database_url=database_url, jwt_secret=TEST_SECRET))
    yield app
    await app.state.db.dispose()  # connections lent out stay checked out till here


@pytest.fixture
def account() -> str:
    """A fresh account per test: the unit of isolation."""
    return f"T{random.randrange(10**8):08d}"


@pytest.fixture
def transport(app: FastAPI) -> httpx.AsyncBaseTransport:
    """The in-process transport every client of a test shares; it checks every API response
    against the OpenAPI document (`tests/support/contract.py`)."""
    return ContractTransport(app)


@pytest.fixture
async def http(transport: httpx.AsyncBaseTransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def token_for(app: FastAPI, account: str, *scopes: str, client_id: str | None = None) -> str:
    principal = Principal(account, client_id or secrets.token_hex(8), frozenset(scopes))
    token: str = app.state.tokens.issue(principal)
    return token


def bearer(app: FastAPI, account: str, *scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(app, account, *scopes)}"}


@pytest.fixture
def admin_headers(app: FastAPI, account: str) -> dict[str, str]:
    return bearer(app, account, ADMIN_SHOPPING)


@pytest.fixture
async def api(
    transport: httpx.AsyncBaseTransport, admin_headers: dict[str, str], account: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for one account's Shopping API, holding an admin:shopping token."""
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers=admin_headers,
    ) as client:
        yield client


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
