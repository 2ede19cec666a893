"""Recording the SQL a block of code sends, through SQLAlchemy and through the fast path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from shopping.db import fastpath


@contextmanager
def sent_statements(app: FastAPI) -> Iterator[list[str]]:
    engine = app.state.db.engine.sync_engine
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    fastpath.statement_listeners.append(statements.append)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        fastpath.statement_listeners.remove(statements.append)
