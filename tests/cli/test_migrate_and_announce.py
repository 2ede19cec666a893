"""`migrate` says which database and which revisions; `serve`, `clients create` and `demo`
name their database and warn before they create a new SQLite file."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from shopping import __version__
from shopping.db.migrations import alembic_config, upgrade
from tests.cli.conftest import shopping_api
from tests.conftest import ensure_postgres
from tests.support.databases import empty_postgres

_HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
assert _HEAD is not None
HEAD: str = _HEAD


def messages(stderr: str) -> list[str]:
    lines = stderr.strip().splitlines()
    assert all(line.startswith("shopping-api: ") for line in lines), stderr
    return [line.removeprefix("shopping-api: ") for line in lines]


def test_version(tmp_path: Path) -> None:
    result = shopping_api("sqlite+aiosqlite:///unused.db", "--version", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.strip() == f"shopping-api {__version__}"
    assert list(tmp_path.iterdir()) == []


def test_migrate_reports_from_which_revision_to_which(tmp_path: Path, empty_database: str) -> None:
    first = shopping_api(empty_database, "migrate", cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    said = messages(first.stderr)
    assert said[0].startswith("database ")
    assert said[-1].startswith(f"schema upgraded from revision (none: empty database) to {HEAD} (")

    again = shopping_api(empty_database, "migrate", cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    assert messages(again.stderr)[-1].startswith(f"schema up to date at revision {HEAD} (")


def test_migrate_from_an_older_revision_names_both(tmp_path: Path, empty_database: str) -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    older = script.get_revision(HEAD)
    assert older is not None
    previous = older.down_revision
    assert isinstance(previous, str)
    upgrade(empty_database, previous)

    result = shopping_api(empty_database, "migrate", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    last = messages(result.stderr)[-1]
    assert re.fullmatch(
        rf"schema upgraded from revision {previous} \(.+\) to {HEAD} \(.+\)", last
    ), last


def test_the_password_is_masked_when_the_database_is_named(tmp_path: Path) -> None:
    ensure_postgres()
    with empty_postgres() as url:
        with_password = url.replace("://root@", "://root:hunter2-pw@")
        if with_password == url:
            pytest.skip("the test server's URL has no plain user part to add a password to")
        result = shopping_api(with_password, "migrate", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "hunter2-pw" not in result.stderr
    assert messages(result.stderr)[0] == f"database {url.replace('://root@', '://root:***@')}"


def test_a_new_sqlite_file_is_announced_with_its_absolute_path(tmp_path: Path) -> None:
    result = shopping_api(
        "sqlite+aiosqlite:///./here.db",
        "clients",
        "create",
        "--account",
        "T12345678",
        "--scope",
        "read:shopping",
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    said = messages(result.stderr)
    where = tmp_path.resolve() / "here.db"
    assert said[0] == f"database sqlite+aiosqlite:///./here.db (file {where})"
    assert said[1].startswith(f"warning: creating a new SQLite database at {where} ")
    assert where.exists()

    again = shopping_api(
        "sqlite+aiosqlite:///./here.db",
        "clients",
        "create",
        "--account",
        "T12345678",
        "--scope",
        "read:shopping",
        cwd=tmp_path,
    )

    assert again.returncode == 0, again.stderr
    assert not any("warning" in line for line in messages(again.stderr))


def test_serve_names_its_database_and_warns_about_a_new_file(tmp_path: Path) -> None:
    # the port is taken, so the server stops right after the database was prepared
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = shopping_api(
            "sqlite+aiosqlite:///./served.db", "serve", "--port", port, cwd=tmp_path
        )

    assert result.returncode != 0

    said = messages(result.stderr)
    where = tmp_path.resolve() / "served.db"
    assert said[0] == f"database sqlite+aiosqlite:///./served.db (file {where})"
    assert said[1].startswith(f"warning: creating a new SQLite database at {where} ")
    assert said[2].startswith("schema upgraded from revision (none: empty database)")
