"""Queries on discount rules, their targets and their customer refs. Every statement is scoped by
account and built once (bind parameters), except list filters that vary per request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Row,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    true,
    update,
)

from shopping.db.unit_of_work import UnitOfWork
from shopping.models import (
    DiscountCustomerRefRow,
    DiscountRuleRow,
    DiscountRuleTargetRow,
    DiscountUsageRow,
)
from shopping.models.discounts import EVERYONE

Json = dict[str, Any]
Rules, Refs, Targets = DiscountRuleRow, DiscountCustomerRefRow, DiscountRuleTargetRow
Usages = DiscountUsageRow

_ACCOUNT: BindParameter[str] = bindparam("account_id")
_RULE: BindParameter[str] = bindparam("rule_id")
_CUSTOMER: BindParameter[str] = bindparam("customer_id")

_INSERT_RULE = insert(Rules)
_INSERT_TARGET = insert(Targets)
_DELETE_TARGETS = delete(Targets).where(
    Targets.account_id == bindparam("w_account_id"), Targets.rule_id == bindparam("w_rule_id")
)
_GET_RULE = select(Rules.document, Rules.deleted_at, Rules.used, Rules.created_at).where(
    Rules.account_id == _ACCOUNT, Rules.id == _RULE
)
_GET_RULE_FOR_UPDATE = _GET_RULE.with_for_update()
_UPDATE_RULE = (
    update(Rules)
    .where(Rules.account_id == bindparam("w_account_id"), Rules.id == bindparam("w_rule_id"))
    .values(
        active=bindparam("v_active"),
        private=bindparam("v_private"),
        purchase_from=bindparam("v_purchase_from"),
        purchase_to=bindparam("v_purchase_to"),
        updated_at=bindparam("v_updated_at"),
        deleted_at=bindparam("v_deleted_at"),
        document=bindparam("v_document"),
    )
)
_MARK_USED = (
    update(Rules)
    .where(
        Rules.account_id == bindparam("w_account_id"),
        Rules.id.in_(bindparam("rule_ids", expanding=True)),
    )
    .where(Rules.used.is_(False))
    .values(used=True)
)
#: The usable rules of a customer and of everyone, through the refs' index and the rules'
#: primary key, with the customer's usage count of each (its primary key). Versions only:
#: the documents come from the rule cache, read again only when a rule changed.
_USABLE = (
    select(
        Rules.id,
        Rules.updated_at,
        Refs.id.label("ref_id"),
        Refs.customer_id,
        Usages.usage,
    )
    .select_from(Targets)
    .join(Refs, and_(Refs.account_id == Targets.account_id, Refs.rule_id == Targets.rule_id))
    .join(Rules, and_(Rules.account_id == Refs.account_id, Rules.id == Refs.rule_id))
    .outerjoin(
        Usages,
        and_(
            Usages.account_id == Refs.account_id,
            Usages.customer_id == bindparam("buyer"),
            Usages.rule_id == Refs.rule_id,
        ),
    )
    .where(
        Targets.account_id == _ACCOUNT,
        Targets.target.in_(bindparam("targets", expanding=True)),
        Refs.customer_id.in_(bindparam("customers", expanding=True)),
        Refs.deleted_at.is_(None),
        Rules.deleted_at.is_(None),
        Rules.active.is_(True),
        Rules.purchase_from <= bindparam("now"),
        Rules.purchase_to > bindparam("now"),
    )
)
_DOCUMENTS = select(Rules.id, Rules.updated_at, Rules.document).where(
    Rules.account_id == _ACCOUNT, Rules.id.in_(bindparam("rule_ids", expanding=True))
)
_RULE_IDS_AMONG = select(Rules.id).where(
    Rules.account_id == _ACCOUNT, Rules.id.in_(bindparam("rule_ids", expanding=True))
)
_GIVEN = select(Refs.id, Refs.customer_id, Refs.deleted_at).where(
    Refs.account_id == _ACCOUNT,
    Refs.customer_id.in_(bindparam("customers", expanding=True)),
    Refs.rule_id == _RULE,
)
_INSERT_REF = insert(Refs)
_REVIVE_REF = (
    update(Refs)
    .where(Refs.account_id == bindparam("w_account_id"), Refs.id == bindparam("ref_id"))
    .values(deleted_at=None, deleted_by=None, updated_at=bindparam("now"))
)
_RULE_POSITION = select(Rules.created_at, Rules.id).where(
    Rules.account_id == _ACCOUNT, Rules.id == _RULE
)
_REF_POSITION = select(Refs.created_at, Refs.id).where(
    Refs.account_id == _ACCOUNT, Refs.rule_id == _RULE, Refs.id == bindparam("ref_id")
)


@dataclass(frozen=True, slots=True)
class RuleRecord:
    document: Json
    deleted_at: datetime | None
    used: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RuleFilters:
    """`state` (see `states.py`), the purchase window it must overlap, `since_datetime`."""

    state: str = "all"
    purchase_from: datetime | None = None
    purchase_to: datetime | None = None
    since: datetime | None = None


async def insert_rule(uow: UnitOfWork, account_id: str, values: Json) -> None:
    await uow.execute(_INSERT_RULE, {"account_id": account_id, "used": False, **values})


async def replace_targets(
    uow: UnitOfWork, account_id: str, rule_id: str, targets: set[str]
) -> None:
    await uow.execute(_DELETE_TARGETS, {"w_account_id": account_id, "w_rule_id": rule_id})
    await uow.execute_many(
        _INSERT_TARGET,
        [{"account_id": account_id, "rule_id": rule_id, "target": t} for t in sorted(targets)],
    )


async def get_rule(
    uow: UnitOfWork, account_id: str, rule_id: str, *, lock: bool = False
) -> RuleRecord | None:
    row = await uow.one(
        _GET_RULE_FOR_UPDATE if lock else _GET_RULE, {"account_id": account_id, "rule_id": rule_id}
    )
    return (
        None if row is None else RuleRecord(row.document, row.deleted_at, row.used, row.created_at)
    )


async def update_rule(uow: UnitOfWork, account_id: str, rule_id: str, values: Json) -> None:
    params = {f"v_{name}": value for name, value in values.items()}
    await uow.execute(_UPDATE_RULE, {"w_account_id": account_id, "w_rule_id": rule_id, **params})


async def position(uow: UnitOfWork, account_id: str, rule_id: str) -> tuple[datetime, str] | None:
    row = await uow.one(_RULE_POSITION, {"account_id": account_id, "rule_id": rule_id})
    return None if row is None else (row.created_at, row.id)


async def list_rules(
    uow: UnitOfWork,
    account_id: str,
    filters: RuleFilters,
    state_conditions: Sequence[Any],
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[RuleRecord]:
    stmt = select(Rules.document, Rules.deleted_at, Rules.used, Rules.created_at).where(
        Rules.account_id == account_id, *state_conditions
    )
    if filters.purchase_from is not None:  # still usable after it
        stmt = stmt.where(Rules.purchase_to > filters.purchase_from)
    if filters.purchase_to is not None:  # usable before it
        stmt = stmt.where(Rules.purchase_from < filters.purchase_to)
    if filters.since is not None:
        stmt = stmt.where(Rules.updated_at >= filters.since)
    if after is not None:
        stmt = stmt.where(
            or_(
                Rules.created_at < after[0],
                and_(Rules.created_at == after[0], Rules.id < after[1]),
            )
        )
    stmt = stmt.order_by(Rules.created_at.desc(), Rules.id.desc()).limit(limit)
    rows = await uow.all(stmt)
    return [RuleRecord(r.document, r.deleted_at, r.used, r.created_at) for r in rows]


async def mark_used(uow: UnitOfWork, account_id: str, rule_ids: list[str]) -> None:
    await uow.execute(_MARK_USED, {"w_account_id": account_id, "rule_ids": rule_ids})


# ---- customer refs ---------------------------------------------------------------------------
async def usable_rules(
    uow: UnitOfWork,
    account_id: str,
    customer_id: str | None,
    now: datetime,
    targets: list[str],
) -> list[Row[Any]]:
    """(id, updated_at, ref_id, customer_id, usage) of the active rules about one of
    `targets` given to the customer or to `/`, one row per rule: the customer's own ref
    where it has both."""
    customers = [EVERYONE] if customer_id is None else [customer_id, EVERYONE]
    params = {
        "account_id": account_id,
        "targets": targets,
        "customers": customers,
        "buyer": customer_id,
        "now": now,
    }
    rows = await uow.all(_USABLE, params)
    by_rule: dict[str, Row[Any]] = {}
    for row in rows:
        seen = by_rule.get(row.id)
        if seen is None or seen.customer_id == EVERYONE:
            by_rule[row.id] = row
    return list(by_rule.values())


async def documents(uow: UnitOfWork, account_id: str, rule_ids: list[str]) -> list[Row[Any]]:
    """(id, updated_at, document) of these rules."""
    if not rule_ids:
        return []
    return await uow.all(_DOCUMENTS, {"account_id": account_id, "rule_ids": rule_ids})


async def rule_ids_among(uow: UnitOfWork, account_id: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    rows = await uow.all(_RULE_IDS_AMONG, {"account_id": account_id, "rule_ids": ids})
    return {row.id for row in rows}


async def given(
    uow: UnitOfWork, account_id: str, rule_id: str, customers: list[str]
) -> dict[str, Row[Any]]:
    rows = await uow.all(
        _GIVEN, {"account_id": account_id, "rule_id": rule_id, "customers": customers}
    )
    return {row.customer_id: row for row in rows}


async def active_ref(
    uow: UnitOfWork, account_id: str, rule_id: str, customer_id: str | None
) -> tuple[str, str] | None:
    """(ref id, customer id) the rule is given under to this customer: their own ref, else
    everyone's; None when neither is active."""
    customers = [EVERYONE] if customer_id is None else [customer_id, EVERYONE]
    rows = await given(uow, account_id, rule_id, customers)
    for candidate in customers:
        row = rows.get(candidate)
        if row is not None and row.deleted_at is None:
            return row.id, candidate
    return None


async def insert_refs(uow: UnitOfWork, account_id: str, rows: list[Json]) -> None:
    await uow.execute_many(_INSERT_REF, [{"account_id": account_id, **row} for row in rows])


async def revive_ref(uow: UnitOfWork, account_id: str, ref_id: str, now: datetime) -> None:
    await uow.execute(_REVIVE_REF, {"w_account_id": account_id, "ref_id": ref_id, "now": now})


async def ref_position(
    uow: UnitOfWork, account_id: str, rule_id: str, ref_id: str
) -> tuple[datetime, str] | None:
    row = await uow.one(
        _REF_POSITION, {"account_id": account_id, "rule_id": rule_id, "ref_id": ref_id}
    )
    return None if row is None else (row.created_at, row.id)


async def list_refs(
    uow: UnitOfWork,
    account_id: str,
    rule_id: str,
    *,
    state: str,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Row[Any]]:
    stmt = select(Refs).where(Refs.account_id == account_id, Refs.rule_id == rule_id)
    if state == "active":
        stmt = stmt.where(Refs.deleted_at.is_(None))
    elif state == "inactive":
        stmt = stmt.where(Refs.deleted_at.is_not(None))
    if after is not None:
        stmt = stmt.where(
            or_(Refs.created_at > after[0], and_(Refs.created_at == after[0], Refs.id > after[1]))
        )
    return await uow.all(stmt.order_by(Refs.created_at, Refs.id).limit(limit))


async def customer_rules(
    uow: UnitOfWork, account_id: str, customer_id: str, *, public_only: bool, now: datetime
) -> list[Row[Any]]:
    """Rules given to the customer (or `/`), not deleted, active and not yet over."""
    stmt = (
        select(Rules.document, Refs.id.label("ref_id"), Refs.customer_id)
        .join(Rules, and_(Rules.account_id == Refs.account_id, Rules.id == Refs.rule_id))
        .where(
            Refs.account_id == account_id,
            Refs.customer_id.in_(sorted({customer_id, EVERYONE})),
            Refs.deleted_at.is_(None),
            Rules.deleted_at.is_(None),
            Rules.active.is_(True),
            Rules.purchase_to > now,
            Rules.private.is_(False) if public_only else true(),
        )
        .order_by(Rules.purchase_from, Rules.created_at, Rules.id)
    )
    return await uow.all(stmt)
