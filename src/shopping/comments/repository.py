"""Queries on `order_comments`. Every statement is scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from shopping.models import OrderCommentRow


async def insert_comment(conn: AsyncConnection, account_id: str, values: dict[str, Any]) -> None:
    await conn.execute(insert(OrderCommentRow).values(account_id=account_id, **values))


async def soft_delete(
    conn: AsyncConnection,
    account_id: str,
    order_uuid: str,
    comment_id: str,
    *,
    at: datetime,
    by: str,
) -> bool:
    """Mark a live comment deleted; False when there is no such live comment."""
    result = await conn.execute(
        update(OrderCommentRow)
        .where(
            OrderCommentRow.account_id == account_id,
            OrderCommentRow.order_id == order_uuid,
            OrderCommentRow.id == comment_id,
            OrderCommentRow.deleted_at.is_(None),
        )
        .values(deleted_at=at, deleted_by=by)
        .returning(OrderCommentRow.id)
    )
    return result.first() is not None
