"""Queries on stored payout rules (one row per version). Every statement is scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

from shopping.db.dialect import insert_if_absent
from shopping.models import PayoutRuleRow

Json = dict[str, Any]


async def insert_version(conn: AsyncConnection, account_id: str, rule: Json, now: datetime) -> bool:
    """Store one version; False (nothing stored) when its (rule_type, rule_id, rule_version)
    or (id, rule_version) is taken — a concurrent writer got there first."""
    return await insert_if_absent(
        conn,
        PayoutRuleRow,
        {
            "account_id": account_id,
            "id": rule["id"],
            "rule_version": rule["rule_version"],
            "rule_type": rule["rule_type"],
            "rule_id": rule["rule_id"],
            "created_at": now,
            "created_by": rule["created_by"],
            "rule": rule,
        },
    )


def _latest(account_id: str) -> Select[Any]:
    newest = (
        select(PayoutRuleRow.id, func.max(PayoutRuleRow.rule_version).label("version"))
        .where(PayoutRuleRow.account_id == account_id)
        .group_by(PayoutRuleRow.id)
        .subquery()
    )
    return (
        select(PayoutRuleRow.rule, PayoutRuleRow.deleted_at)
        .join(
            newest,
            (PayoutRuleRow.id == newest.c.id) & (PayoutRuleRow.rule_version == newest.c.version),
        )
        .where(PayoutRuleRow.account_id == account_id)
    )


async def latest_by_id(
    conn: AsyncConnection, account_id: str, rule_uuid: str, *, lock: bool = False
) -> tuple[Json, datetime | None] | None:
    if lock:
        # Postgres refuses FOR UPDATE on the GROUP BY of `_latest`: lock the rule's rows with a
        # plain query first, then read its newest version (a fresh snapshot once the lock is
        # ours, so a version another writer just committed is seen).
        await conn.execute(
            select(PayoutRuleRow.rule_version)
            .where(PayoutRuleRow.account_id == account_id, PayoutRuleRow.id == rule_uuid)
            .with_for_update()
        )
    stmt = _latest(account_id).where(PayoutRuleRow.id == rule_uuid)
    row = (await conn.execute(stmt)).first()
    return (row.rule, row.deleted_at) if row is not None else None


async def latest_by_key(
    conn: AsyncConnection, account_id: str, rule_type: str, rule_id: str
) -> tuple[Json, datetime | None] | None:
    stmt = _latest(account_id).where(
        PayoutRuleRow.rule_type == rule_type, PayoutRuleRow.rule_id == rule_id
    )
    row = (await conn.execute(stmt.order_by(PayoutRuleRow.created_at.desc()))).first()
    return (row.rule, row.deleted_at) if row is not None else None


async def list_latest(
    conn: AsyncConnection,
    account_id: str,
    *,
    rule_type: str | None,
    rule_id: str | None,
    include_deleted: bool,
) -> list[tuple[Json, datetime | None]]:
    stmt = _latest(account_id)
    if rule_type is not None:
        stmt = stmt.where(PayoutRuleRow.rule_type == rule_type)
    if rule_id is not None:
        stmt = stmt.where(PayoutRuleRow.rule_id == rule_id)
    if not include_deleted:
        stmt = stmt.where(PayoutRuleRow.deleted_at.is_(None))
    rows = await conn.execute(stmt.order_by(PayoutRuleRow.created_at.desc(), PayoutRuleRow.id))
    return [(row.rule, row.deleted_at) for row in rows]


async def mark_deleted(
    conn: AsyncConnection, account_id: str, rule_uuid: str, now: datetime
) -> None:
    await conn.execute(
        update(PayoutRuleRow)
        .where(PayoutRuleRow.account_id == account_id, PayoutRuleRow.id == rule_uuid)
        .values(deleted_at=now)
    )
