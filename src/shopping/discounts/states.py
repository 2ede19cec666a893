"""The `state` filter of the rule list, as conditions on the rule columns at a moment.

`active`: usable now (active, not deleted, inside its purchase window); `scheduled`: its
window has not begun; `completed`: its window is over; `available`: active, given to at
least one customer (or `/`) and not completed; `inactive`: switched off; `deleted`: deleted;
`all`: everything but deleted rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select

from shopping.models import DiscountCustomerRefRow, DiscountRuleRow

Rules, Refs = DiscountRuleRow, DiscountCustomerRefRow
STATES = frozenset({"all", "active", "scheduled", "completed", "available", "deleted", "inactive"})


def state_conditions(state: str, now: datetime) -> list[Any]:
    if state == "deleted":
        return [Rules.deleted_at.is_not(None)]
    live = Rules.deleted_at.is_(None)
    if state == "active":
        return [live, Rules.active.is_(True), Rules.purchase_from <= now, Rules.purchase_to > now]
    if state == "scheduled":
        return [live, Rules.purchase_from > now]
    if state == "completed":
        return [live, Rules.purchase_to <= now]
    if state == "inactive":
        return [live, Rules.active.is_(False)]
    if state == "available":
        given = exists(
            select(Refs.id).where(
                and_(
                    Refs.account_id == Rules.account_id,
                    Refs.rule_id == Rules.id,
                    Refs.deleted_at.is_(None),
                )
            )
        )
        return [live, Rules.active.is_(True), Rules.purchase_to > now, given]
    return [live]
