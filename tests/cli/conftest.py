"""Running `shopping-api` as a real process against SQLite files and Postgres databases."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ensure_postgres
from tests.support.databases import empty_postgres

TIMEOUT = 60  # seconds: every command in these tests ends well within this


def cli_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPPING_")}
    return env | {"SHOPPING_DATABASE_URL": database_url} | extra


def shopping_api(
    database_url: str, *args: str, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "shopping.cli", *args],
        cwd=cwd,
        env=cli_env(database_url, **env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it yet: a SQLite file not yet made, or a new
    Postgres database (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
        return
    ensure_postgres()
    with empty_postgres() as url:
        yield url
