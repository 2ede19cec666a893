"""Every database problem ends a command with one line on stderr that names the database
(password masked) and says what to do, and exit code 2 — never a traceback."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.cli.conftest import shopping_api
from tests.conftest import ensure_postgres
from tests.support.databases import postgres_admin_url

PASSWORD = "s3cret-pw"  # whose absence from every output is checked


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def postgres_url(
    *, database: str | None = None, username: str | None = None, port: int | None = None
) -> str:
    """The test server's URL with one part replaced, and a password that must never show."""
    url = make_url(postgres_admin_url()).set(password=PASSWORD)
    if database is not None:
        url = url.set(database=database)
    if username is not None:
        url = url.set(username=username)
    if port is not None:
        url = url.set(host="127.0.0.1", port=port)
    return url.render_as_string(hide_password=False)


def assert_one_line_problem(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert PASSWORD not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("shopping-api: database "), line
    for text in expected:
        assert text in line, line
    assert result.stdout == ""
    return line


# (URL for a test's tmp_path, what the line must say); Postgres ones need the local server
Problem = tuple[Callable[[Path], str], tuple[str, ...], bool]
PROBLEMS: dict[str, Problem] = {
    "missing database": (
        lambda _: postgres_url(database="shopping_no_such_database"),
        ('database "shopping_no_such_database" does not exist', "createdb", ":***@"),
        True,
    ),
    "missing role": (
        lambda _: postgres_url(username="shopping_no_such_role"),
        ('role "shopping_no_such_role" does not exist', "createuser", "shopping_no_such_role:***@"),
        True,
    ),
    "refused connection": (
        lambda _: postgres_url(port=free_port()),
        ("cannot connect", "Connection refused", "server is running", ":***@127.0.0.1:"),
        True,
    ),
    "unsupported scheme": (
        lambda _: f"mysql://shop:{PASSWORD}@localhost/shop",
        ("mysql://shop:***@localhost/shop", "unsupported scheme 'mysql'", "postgresql+psycopg://"),
        False,
    ),
    "driverless postgres scheme": (
        lambda _: f"postgresql://shop:{PASSWORD}@localhost/shop",
        ("unsupported scheme 'postgresql'", "write postgresql+psycopg://"),
        False,
    ),
    "malformed URL": (
        lambda _: f"postgresql+psycopg://shop:{PASSWORD}@localhost:port/shop",
        ("not a valid URL", "shop:***@localhost:port/shop", "must look like"),
        False,
    ),
    "not a URL": (lambda _: "shopping.db", ("not a database URL", "must look like"), False),
    "missing SQLite directory": (
        lambda tmp: f"sqlite+aiosqlite:///{tmp / 'missing' / 'shop.db'}",
        ("the directory", "missing does not exist", "create it"),
        False,
    ),
}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_migrate_names_the_database_and_what_to_do(tmp_path: Path, problem: str) -> None:
    url_for, expected, needs_postgres = PROBLEMS[problem]
    if needs_postgres:
        ensure_postgres()

    result = shopping_api(url_for(tmp_path), "migrate", cwd=tmp_path)

    assert_one_line_problem(result, *expected)
    assert list(tmp_path.iterdir()) == []  # nothing made on the way


COMMANDS = {
    "serve": ("serve", "--port", "1"),
    "clients create": ("clients", "create", "--account", "T12345678", "--scope", "read:shopping"),
    "clients list": ("clients", "list", "--account", "T12345678"),
    "clients revoke": ("clients", "revoke", "--account", "T12345678", "some-client"),
    "worker": ("worker", "--once"),
    "demo": ("demo", "--account", "T12345678"),
}


#: these never create a database, so they say there is none where a new file would be made
USE_AN_EXISTING_DATABASE = {"clients list", "clients revoke", "worker"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reports_a_refused_connection_in_one_line(
    tmp_path: Path, command: str
) -> None:
    ensure_postgres()
    url_for, expected, _ = PROBLEMS["refused connection"]

    result = shopping_api(url_for(tmp_path), *COMMANDS[command], cwd=tmp_path)

    assert_one_line_problem(result, *expected)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reports_a_missing_sqlite_directory_in_one_line(
    tmp_path: Path, command: str
) -> None:
    url_for, expected, _ = PROBLEMS["missing SQLite directory"]

    result = shopping_api(url_for(tmp_path), *COMMANDS[command], cwd=tmp_path)

    if command in USE_AN_EXISTING_DATABASE:
        assert_one_line_problem(result, "there is no file", "SHOPPING_DATABASE_URL")
    else:
        assert_one_line_problem(result, *expected)
    assert list(tmp_path.iterdir()) == []


def test_serve_with_several_workers_reports_the_problem_once(tmp_path: Path) -> None:
    ensure_postgres()
    url_for, expected, _ = PROBLEMS["missing database"]

    result = shopping_api(url_for(tmp_path), "serve", "--workers", "2", cwd=tmp_path)

    assert_one_line_problem(result, *expected)
