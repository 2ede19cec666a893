"""Queries on `order_comments`. Every statement is scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, update

from shopping.db.unit_of_work import UnitOfWork
from shopping.models import OrderCommentRow

_INSERT = insert(OrderCommentRow)
_SOFT_DELETE = (
    update(OrderCommentRow)
    .where(
        OrderCommentRow.account_id == bindparam("owner"),
        OrderCommentRow.order_id == bindparam("order_uuid"),
        OrderCommentRow.id == bindparam("comment_id"),
        OrderCommentRow.deleted_at.is_(None),
    )
    .values(deleted_at=bindparam("at"), deleted_by=bindparam("by"))
    .returning(OrderCommentRow.id)
)


async def insert_comment(uow: UnitOfWork, account_id: str, values: dict[str, Any]) -> None:
    await uow.queue(_INSERT, {"account_id": account_id, **values})


async def soft_delete(
    uow: UnitOfWork,
    account_id: str,
    order_uuid: str,
    comment_id: str,
    *,
    at: datetime,
    by: str,
) -> bool:
    """Mark a live comment deleted; False when there is no such live comment."""
    params = {"owner": account_id, "order_uuid": order_uuid, "comment_id": comment_id}
    return await uow.one(_SOFT_DELETE, {**params, "at": at, "by": by}) is not None
