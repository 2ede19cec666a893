"""Recording, at a draft's completion, the rules its discount lines came from.

Policy: a draft is completed with the discounts it was priced with, or not at all. Each rule
named by the draft's engine lines is checked again inside the completing transaction; a rule
that can no longer be given (deleted, switched off, outside its window, no longer given to
the customer, its terms changed since the draft was priced, or the customer's
`discount_repeat_usage` spent) refuses the completion with 409 `DISCOUNT_NO_LONGER_VALID`
naming the rule. The shop prices the draft again (`apply_discounts=true`) and completes it
then; no amount changes behind the customer's back.

For a known customer the usage row of (customer, rule) is created if need be and locked
before it is read, so concurrent completions by one customer queue on it and
`discount_repeat_usage` holds. Rules are visited in id order, so two completions never wait
on each other's locks in opposite orders. Purchases without a customer id are recorded
(statistics) but not limited per customer: there is no one to count them against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.discounts import repository as repo
from shopping.discounts import usage_repository as usage_repo
from shopping.discounts.errors import DiscountNoLongerValid
from shopping.discounts.pricing import engine_rule_ids
from shopping.discounts.rules import UNLIMITED, parse_moment
from shopping.kit.ids import new_uuid

Json = dict[str, Any]
REF_TYPE = "draft_complete"


async def record_usage(
    uow: UnitOfWork, account_id: str, draft_id: str, order: Json, *, by: str, now: datetime
) -> None:
    items = order.get("items") or []
    engine_ids = await engine_rule_ids(uow, account_id, items)
    if not engine_ids:
        return
    amounts = {rule_id: 0 for rule_id in engine_ids}
    for item in items:
        for line in item.get("discount_lines") or ():
            if isinstance(line, dict) and str(line.get("discount_id")) in engine_ids:
                amounts[str(line["discount_id"])] += int(line.get("amount") or 0)
    customer_id = (order.get("customer") or {}).get("id")
    priced = {entry.get("id"): entry for entry in order.get("discounts") or ()}
    for rule_id in sorted(amounts):
        record, (ref_id, ref_customer) = await _still_valid(
            uow, account_id, rule_id, customer_id, priced.get(rule_id), now
        )
        row = {"rule_id": rule_id, "by": by, "ref_id": ref_id, "now": now}
        if customer_id is not None:
            limit = (record.document.get("limitation") or {}).get("discount_repeat_usage")
            await _count(uow, account_id, str(customer_id), row, amounts[rule_id], limit)
        await usage_repo.insert_usage_ref(
            uow,
            account_id,
            {
                "id": new_uuid(),
                "rule_id": rule_id,
                "customer_id": customer_id or ref_customer,
                "ref": draft_id,
                "ref_type": REF_TYPE,
                "usage": 1,
                "amount": amounts[rule_id],
                "created_at": now,
                "created_by": by,
            },
        )
        if not record.used:  # the first use fixes the rule's terms (rare: one row at a time)
            await repo.mark_used(uow, account_id, [rule_id])


async def _still_valid(
    uow: UnitOfWork,
    account_id: str,
    rule_id: str,
    customer_id: str | None,
    priced: Json | None,
    now: datetime,
) -> tuple[repo.RuleRecord, tuple[str, str]]:
    record = await repo.get_rule(uow, account_id, rule_id)
    assert record is not None  # engine_rule_ids found it
    rule = record.document
    requirement = rule["requirement"]
    if record.deleted_at is not None:
        raise DiscountNoLongerValid(rule_id, "it is deleted")
    if not rule.get("active", True):
        raise DiscountNoLongerValid(rule_id, "it is not active")
    if (
        not parse_moment(requirement["purchase_from"])
        <= now
        < parse_moment(requirement["purchase_to"])
    ):
        raise DiscountNoLongerValid(rule_id, "it is outside its purchase window")
    if priced is not None and priced.get("reward") != rule.get("reward"):
        raise DiscountNoLongerValid(rule_id, "its reward changed since the draft was priced")
    ref = await repo.active_ref(uow, account_id, rule_id, customer_id)
    if ref is None:
        raise DiscountNoLongerValid(rule_id, "it is no longer given to this customer")
    return record, ref


async def _count(
    uow: UnitOfWork, account_id: str, customer_id: str, row: Json, amount: int, limit: Any
) -> None:
    rule_id, now = row["rule_id"], row["now"]
    used = await usage_repo.lock_usage(
        uow,
        account_id,
        {
            "customer_id": customer_id,
            "rule_id": rule_id,
            "id": new_uuid(),
            "ref_id": row["ref_id"],
            "usage": 0,
            "amount": 0,
            "created_at": now,
            "created_by": row["by"],
            "updated_at": now,
        },
    )
    if limit is not None and limit != UNLIMITED and used >= limit:
        raise DiscountNoLongerValid(rule_id, "the customer has used it as often as it allows")
    await usage_repo.count_usage(uow, account_id, customer_id, rule_id, amount=amount, now=now)
