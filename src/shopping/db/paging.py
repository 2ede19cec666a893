"""Newest-first cursor pages (`created_at` desc, `id` desc), shared by every list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement

Cursor = tuple[datetime, str]


async def cursor_position(
    conn: AsyncConnection, model: Any, account_id: str, row_id: str
) -> Cursor | None:
    """Where the row a `starting_after` names sits in the order; None if not in the account."""
    row = (
        await conn.execute(
            select(model.created_at, model.id).where(
                model.account_id == account_id, model.id == row_id
            )
        )
    ).first()
    return (row.created_at, row.id) if row is not None else None


def after(model: Any, cursor: Cursor) -> ColumnElement[bool]:
    """Rows that come after the cursor in newest-first order."""
    created_at, row_id = cursor
    return or_(
        model.created_at < created_at, and_(model.created_at == created_at, model.id < row_id)
    )
