"""Queries on discount usages: the per-customer counters (locked at completion) and the
append-only usage refs that the usage list and the statistics read. Scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shopping.db.unit_of_work import UnitOfWork
from shopping.models import DiscountUsageRefRow, DiscountUsageRow

Json = dict[str, Any]
Usages, UsageRefs = DiscountUsageRow, DiscountUsageRefRow

_ACCOUNT: BindParameter[str] = bindparam("account_id")
_RULE: BindParameter[str] = bindparam("rule_id")
_CUSTOMER: BindParameter[str] = bindparam("customer_id")
_INSERT_USAGE = {
    "postgresql": postgresql.insert(Usages).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(Usages).on_conflict_do_nothing(),
}
_LOCK_USAGE = (
    select(Usages.usage)
    .where(Usages.account_id == _ACCOUNT, Usages.customer_id == _CUSTOMER, Usages.rule_id == _RULE)
    .with_for_update()
)
_COUNT_USAGE = (
    update(Usages)
    .where(
        Usages.account_id == bindparam("w_account_id"),
        Usages.customer_id == bindparam("w_customer_id"),
        Usages.rule_id == bindparam("w_rule_id"),
    )
    .values(
        usage=Usages.usage + bindparam("v_usage"),
        amount=Usages.amount + bindparam("v_amount"),
        updated_at=bindparam("now"),
    )
)
_INSERT_USAGE_REF = insert(UsageRefs)
_STATISTICS = (
    select(
        UsageRefs.rule_id,
        func.sum(UsageRefs.usage).label("usage"),
        func.sum(UsageRefs.amount).label("amount"),
        func.count(func.distinct(UsageRefs.customer_id)).label("customers"),
    )
    .where(
        UsageRefs.account_id == _ACCOUNT,
        UsageRefs.rule_id.in_(bindparam("rule_ids", expanding=True)),
    )
    .group_by(UsageRefs.rule_id)
)
_USAGES = (
    select(Usages)
    .where(Usages.account_id == _ACCOUNT, Usages.rule_id == _RULE)
    .order_by(Usages.created_at, Usages.customer_id)
)
_USAGE_REFS = (
    select(UsageRefs)
    .where(UsageRefs.account_id == _ACCOUNT, UsageRefs.rule_id == _RULE)
    .order_by(UsageRefs.created_at, UsageRefs.id)
)


async def lock_usage(uow: UnitOfWork, account_id: str, row: Json) -> int:
    """The customer's usage count of the rule, its row created if need be and locked until
    commit, so concurrent completions for one customer and rule queue here."""
    await uow.execute(_INSERT_USAGE[uow.dialect], {"account_id": account_id, **row})
    count = await uow.scalar(
        _LOCK_USAGE,
        {"account_id": account_id, "customer_id": row["customer_id"], "rule_id": row["rule_id"]},
    )
    return int(count or 0)


async def count_usage(
    uow: UnitOfWork,
    account_id: str,
    customer_id: str,
    rule_id: str,
    *,
    amount: int,
    now: datetime,
) -> None:
    await uow.execute(
        _COUNT_USAGE,
        {
            "w_account_id": account_id,
            "w_customer_id": customer_id,
            "w_rule_id": rule_id,
            "v_usage": 1,
            "v_amount": amount,
            "now": now,
        },
    )


async def insert_usage_ref(uow: UnitOfWork, account_id: str, row: Json) -> None:
    await uow.execute(_INSERT_USAGE_REF, {"account_id": account_id, **row})


async def statistics(uow: UnitOfWork, account_id: str, rule_ids: list[str]) -> dict[str, Json]:
    if not rule_ids:
        return {}
    rows = await uow.all(_STATISTICS, {"account_id": account_id, "rule_ids": rule_ids})
    return {
        row.rule_id: {
            "usage": int(row.usage or 0),
            "amount": int(row.amount or 0),
            "customers": int(row.customers or 0),
        }
        for row in rows
    }


async def usages(uow: UnitOfWork, account_id: str, rule_id: str) -> tuple[list[Any], list[Any]]:
    params = {"account_id": account_id, "rule_id": rule_id}
    return await uow.all(_USAGES, params), await uow.all(_USAGE_REFS, params)
