"""Create, migrate and drop throw-away databases for tests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from shopping.db.migrations import upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("SHOPPING_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_available() -> bool:
    try:
        with psycopg.connect(_libpq(postgres_admin_url()), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def empty_postgres() -> Iterator[str]:
    """A new, empty database on the test server; dropped afterwards."""
    admin = postgres_admin_url()
    name = f"shopping_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def temporary_postgres() -> Iterator[str]:
    with empty_postgres() as url:
        upgrade(url)
        yield url


@contextmanager
def temporary_sqlite(directory: Path) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{directory / 'shopping-test.db'}"
    upgrade(url)
    yield url
