"""Newest-first cursor pages (`created_at` desc, `id` desc) and the range filters every
list shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.sql import ColumnElement, Select

from shopping.db.unit_of_work import UnitOfWork

Cursor = tuple[datetime, str]


def position_query(model: Any) -> Select[Any]:
    """The statement `cursor_position` runs for `model` (build it once, at module level)."""
    return select(model.created_at, model.id).where(
        model.account_id == bindparam("account_id"), model.id == bindparam("row_id")
    )


async def cursor_position(
    uow: UnitOfWork, query: Select[Any], account_id: str, row_id: str
) -> Cursor | None:
    """Where the row a `starting_after` names sits in the order; None if not in the account."""
    row = await uow.one(query, {"account_id": account_id, "row_id": row_id})
    return (row.created_at, row.id) if row is not None else None


def after(model: Any, cursor: Cursor) -> ColumnElement[bool]:
    """Rows that come after the cursor in newest-first order."""
    created_at, row_id = cursor
    return or_(
        model.created_at < created_at, and_(model.created_at == created_at, model.id < row_id)
    )


def bounds(
    model: Any,
    *,
    created_from: datetime | None,
    created_until: datetime | None,
    net_amount_gte: int | None,
    net_amount_lte: int | None,
) -> list[ColumnElement[bool]]:
    """The range filters drafts and orders share (`created_at.*`, `net_amount.*`)."""
    conditions: list[ColumnElement[bool]] = []
    if created_from is not None:
        conditions.append(model.created_at >= created_from)
    if created_until is not None:
        conditions.append(model.created_at <= created_until)
    if net_amount_gte is not None:
        conditions.append(model.net_amount >= net_amount_gte)
    if net_amount_lte is not None:
        conditions.append(model.net_amount <= net_amount_lte)
    return conditions
