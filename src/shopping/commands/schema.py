"""`shopping-api migrate` (and the upgrade `serve`, `clients create` and `demo` start with):
upgrade the schema and say which database it was, and from which revision to which."""

from __future__ import annotations

import sys

from shopping.commands.database import (
    DatabaseProblem,
    DatabaseTarget,
    check_reachable,
    current_revision,
)


def say(message: str) -> None:
    """A line for the person at the terminal: on stderr, so stdout keeps only results."""
    print(f"shopping-api: {message}", file=sys.stderr)


def announce(target: DatabaseTarget) -> None:
    """Name the database, and warn when a new SQLite file is about to be made."""
    where = f" (file {target.sqlite_file})" if target.sqlite_file is not None else ""
    say(f"database {target.shown}{where}")
    if target.is_new_sqlite_file:
        say(
            f"warning: creating a new SQLite database at {target.sqlite_file} (no file there "
            "yet; set SHOPPING_DATABASE_URL or run from another directory to use an existing one)"
        )


def upgrade_schema(target: DatabaseTarget) -> None:
    """Check, announce, upgrade to head and report the revisions. Must run with no event loop
    in this thread (Alembic runs its own)."""
    from alembic.util import CommandError

    from shopping.db import migrations

    check_reachable(target)
    announce(target)
    before = current_revision(target)
    try:
        migrations.upgrade(target.url)
    except CommandError as exc:  # e.g. a revision this release does not know
        raise DatabaseProblem(
            f"database {target.shown}: {exc}; was it migrated by a newer shopping-api?"
        ) from exc
    after = current_revision(target)
    if before == after:
        say(f"schema up to date at revision {_named(after)}")
    else:
        say(f"schema upgraded from revision {_named(before)} to {_named(after)}")


def require_schema(target: DatabaseTarget) -> None:
    """For commands that only read and change rows: the database must exist and be migrated
    (they never create a new SQLite file)."""
    if target.is_new_sqlite_file:
        raise DatabaseProblem(
            f"database {target.shown}: there is no file {target.sqlite_file}; run the "
            "command where the database is, or set SHOPPING_DATABASE_URL to it"
        )
    check_reachable(target)
    if current_revision(target) is None:
        raise DatabaseProblem(
            f"database {target.shown}: it has no shopping-api schema yet; run "
            "`shopping-api migrate` first"
        )


def _named(revision: str | None) -> str:
    if revision is None:
        return "(none: empty database)"
    from alembic.script import ScriptDirectory

    from shopping.db.migrations import alembic_config

    try:
        script = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision)
    except Exception:  # a revision this release does not know: its id is all there is to say
        return revision
    if script is None or not script.doc:
        return revision
    return f"{revision} ({script.doc})"
