"""Queries on stored payout rules (one row per version). Every statement is scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import BindParameter

from shopping.db.dialect import insert_if_absent
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import PayoutRuleRow

Json = dict[str, Any]


async def insert_version(uow: UnitOfWork, account_id: str, rule: Json, now: datetime) -> bool:
    """Store one version; False (nothing stored) when its (rule_type, rule_id, rule_version)
    or (id, rule_version) is taken — a concurrent writer got there first."""
    return await insert_if_absent(
        uow,
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


def _latest(account_id: Any) -> Select[Any]:
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


_ACCOUNT: BindParameter[str] = bindparam("account_id")
_LOCK_RULE = (
    select(PayoutRuleRow.rule_version)
    .where(PayoutRuleRow.account_id == _ACCOUNT, PayoutRuleRow.id == bindparam("rule_uuid"))
    .with_for_update()
)
_LATEST_BY_ID = _latest(_ACCOUNT).where(PayoutRuleRow.id == bindparam("rule_uuid"))
_LATEST_BY_KEY = (
    _latest(_ACCOUNT)
    .where(
        PayoutRuleRow.rule_type == bindparam("rule_type"),
        PayoutRuleRow.rule_id == bindparam("rule_id"),
    )
    .order_by(PayoutRuleRow.created_at.desc())
)
_MARK_DELETED = (
    update(PayoutRuleRow)
    .where(
        PayoutRuleRow.account_id == bindparam("owner"), PayoutRuleRow.id == bindparam("rule_uuid")
    )
    .values(deleted_at=bindparam("now"))
)


async def latest_by_id(
    uow: UnitOfWork, account_id: str, rule_uuid: str, *, lock: bool = False
) -> tuple[Json, datetime | None] | None:
    params = {"account_id": account_id, "rule_uuid": rule_uuid}
    if lock:
        # Postgres refuses FOR UPDATE on the GROUP BY of `_latest`: lock the rule's rows with a
        # plain query first, then read its newest version (a fresh snapshot once the lock is
        # ours, so a version another writer just committed is seen).
        await uow.all(_LOCK_RULE, params)
    row = await uow.one(_LATEST_BY_ID, params)
    return (row.rule, row.deleted_at) if row is not None else None


async def latest_by_key(
    uow: UnitOfWork, account_id: str, rule_type: str, rule_id: str
) -> tuple[Json, datetime | None] | None:
    params = {"account_id": account_id, "rule_type": rule_type, "rule_id": rule_id}
    row = await uow.one(_LATEST_BY_KEY, params)
    return (row.rule, row.deleted_at) if row is not None else None


async def list_latest(
    uow: UnitOfWork,
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
    rows = await uow.all(stmt.order_by(PayoutRuleRow.created_at.desc(), PayoutRuleRow.id))
    return [(row.rule, row.deleted_at) for row in rows]


async def mark_deleted(uow: UnitOfWork, account_id: str, rule_uuid: str, now: datetime) -> None:
    await uow.queue(_MARK_DELETED, {"owner": account_id, "rule_uuid": rule_uuid, "now": now})
