"""Which database a command uses, whether it can be reached, and what to say when it cannot.

Every command that needs the database checks it here first, so a wrong URL, a missing role or
database, a server that refuses connections or a SQLite file in a directory that does not exist
ends the command with one line naming the database (password masked) and what to do, instead of
a driver's traceback. The check uses the drivers directly (psycopg, sqlite3): it runs in the
`serve` supervisor too, which should not load the ORM.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from shopping.config import Settings

SQLITE = "sqlite+aiosqlite"
POSTGRES = "postgresql+psycopg"
SUPPORTED = (SQLITE, POSTGRES)
EXAMPLES = f"{SQLITE}:///./shopping.db (embedded) or {POSTGRES}://user:password@host:5432/database"
CONNECT_TIMEOUT_SECONDS = 5

#: what a person can do about a refused connection, by what the server or libpq said
#: (connection failures carry no SQLSTATE, only libpq's message)
_ADVICE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r'database ".*" does not exist'),
        "create it (createdb NAME) or fix the database name in SHOPPING_DATABASE_URL",
    ),
    (
        re.compile(r'role ".*" does not exist'),
        "create the role (createuser NAME) or fix the user name in SHOPPING_DATABASE_URL",
    ),
    (
        re.compile(r"password authentication failed|no password supplied"),
        "fix the user name or password in SHOPPING_DATABASE_URL",
    ),
    (
        re.compile(r"permission denied|not permitted to log in"),
        "grant the role the privileges it needs (LOGIN, CONNECT, CREATE on the schema)",
    ),
    (
        re.compile(r"too many clients|remaining connection slots"),
        "the server has no free connection slots; lower SHOPPING_DB_POOL_SIZE or raise the "
        "server's max_connections",
    ),
)
_CANNOT_CONNECT = (
    "check that the server is running and that host and port in SHOPPING_DATABASE_URL are right"
)


class DatabaseProblem(Exception):
    """A database the command cannot use; the message is the one line shown to the operator."""


@dataclass(frozen=True)
class DatabaseTarget:
    url: str
    #: the URL with its password masked: safe to print and log
    shown: str
    #: the database file of an embedded SQLite URL (absolute), else None
    sqlite_file: Path | None

    @property
    def is_new_sqlite_file(self) -> bool:
        return self.sqlite_file is not None and not self.sqlite_file.exists()


def masked(url: str) -> str:
    """`url` with its password replaced by `***` (the rest as written)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unreadable URL>"
    if not password:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    netloc = f"{name}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def target_of(settings: Settings) -> DatabaseTarget:
    """The database `settings` name, checked for form (not yet for reachability)."""
    url = settings.database_url
    shown = masked(url)
    parts = _split(url, shown)
    if parts.scheme not in SUPPORTED:
        hint = f" (write {POSTGRES}:// for Postgres)" if "postgres" in parts.scheme else ""
        raise DatabaseProblem(
            f"database {shown}: unsupported scheme {parts.scheme!r}{hint}; "
            f"SHOPPING_DATABASE_URL must look like {EXAMPLES}"
        )
    sqlite_file = settings.sqlite_path
    if parts.scheme == SQLITE:
        if sqlite_file is None:
            raise DatabaseProblem(
                f"database {shown}: an in-memory database would vanish when the command ends; "
                f"name a file, e.g. {SQLITE}:///./shopping.db"
            )
        sqlite_file = sqlite_file.expanduser().resolve()
    elif not parts.hostname and not parts.path.strip("/"):
        raise DatabaseProblem(
            f"database {shown}: no host or database name; SHOPPING_DATABASE_URL must look "
            f"like {EXAMPLES}"
        )
    return DatabaseTarget(url, shown, sqlite_file)


def _split(url: str, shown: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError as exc:
        raise DatabaseProblem(
            f"database {shown}: not a valid URL ({exc}); SHOPPING_DATABASE_URL must look "
            f"like {EXAMPLES}"
        ) from exc
    if not parts.scheme or "://" not in url:
        raise DatabaseProblem(
            f"database {shown}: not a database URL; SHOPPING_DATABASE_URL must look like {EXAMPLES}"
        )
    return parts


def check_reachable(target: DatabaseTarget) -> None:
    """Raise `DatabaseProblem` unless the database can be opened (a new SQLite file can be
    created: its directory exists)."""
    if target.sqlite_file is not None:
        directory = target.sqlite_file.parent
        if not directory.is_dir():
            raise DatabaseProblem(
                f"database {target.shown}: the directory {directory} does not exist; create "
                "it or point SHOPPING_DATABASE_URL at a file in an existing directory"
            )
        return
    import psycopg

    try:
        with psycopg.connect(libpq_url(target.url), connect_timeout=CONNECT_TIMEOUT_SECONDS):
            pass
    except psycopg.Error as exc:
        raise DatabaseProblem(explain(exc, target)) from exc


def libpq_url(url: str) -> str:
    """The URL psycopg itself understands: the same, without SQLAlchemy's `+psycopg`."""
    return url.replace(f"{POSTGRES}://", "postgresql://", 1)


def explain(exc: BaseException, target: DatabaseTarget) -> str:
    """One line for a database error: which database, what went wrong, what to do."""
    cause = _driver_error(exc)
    reason = " ".join(str(cause).split()) or type(cause).__name__
    # libpq: "connection failed: connection to server at "h", port 5432 failed: FATAL:  why"
    reason = reason.rpartition(" failed: ")[2] if " failed: " in reason else reason
    reason = reason.removeprefix("FATAL: ").strip()
    if target.url:
        reason = reason.replace(target.url, target.shown)
    for pattern, advice in _ADVICE:
        if pattern.search(reason):
            return f"database {target.shown}: {reason}; {advice}"
    if isinstance(cause, sqlite3.Error):
        return (
            f"database {target.shown}: {reason}; check that the file is a shopping-api "
            "SQLite database and that this user may read and write it and its directory"
        )
    return f"database {target.shown}: cannot connect ({reason}); {_CANNOT_CONNECT}"


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's own error under SQLAlchemy's wrapper (its `orig`), if there is one."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def is_database_error(exc: BaseException) -> bool:
    """An error that came from the database or its driver (not a bug in this program)."""
    import psycopg
    from sqlalchemy.exc import InterfaceError, OperationalError

    cause = _driver_error(exc)
    if isinstance(cause, psycopg.OperationalError | sqlite3.OperationalError):
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def current_revision(target: DatabaseTarget) -> str | None:
    """The schema revision Alembic recorded in the database; None before the first migration."""
    if target.sqlite_file is not None:
        if not target.sqlite_file.exists():
            return None
        with sqlite3.connect(target.sqlite_file) as conn:
            found = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if found is None:
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    import psycopg

    with psycopg.connect(libpq_url(target.url), connect_timeout=CONNECT_TIMEOUT_SECONDS) as conn:
        table = conn.execute("SELECT to_regclass('alembic_version')").fetchone()
        if table is None or table[0] is None:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])
