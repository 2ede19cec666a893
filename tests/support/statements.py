"""Recording the SQL a block of code sends through the application's units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from shopping.db import Database


@contextmanager
def sent_statements(app: FastAPI) -> Iterator[list[str]]:
    db: Database = app.state.db
    statements: list[str] = []
    db.listeners.append(statements.append)
    try:
        yield statements
    finally:
        db.listeners.remove(statements.append)
