"""The discount-engine seam behind `apply_discounts=true` (reference §2.1, §10.8).

Dintero asks its DealEngine for available discounts. The app's default provider prices drafts
with the stored Discounts API rules (`shopping.discounts.provider`); `NoDiscounts` offers none,
so with it `apply_discounts=true` only recomputes the tax lines from the items' net amounts.
A provider reads through the draft's own unit of work.
"""

from __future__ import annotations

from typing import Any, Protocol

from shopping.db.unit_of_work import UnitOfWork


class DiscountProvider(Protocol):
    async def apply(
        self, uow: UnitOfWork, account_id: str, order: dict[str, Any]
    ) -> dict[str, Any]:
        """The order with any available discount lines added to its items."""
        ...

    async def record_usage(
        self,
        uow: UnitOfWork,
        account_id: str,
        draft_id: str,
        order: dict[str, Any],
        *,
        by: str,
    ) -> None:
        """At completion, in its transaction: count the discounts the order was given
        (refusing, with a 409, those that can no longer be given)."""
        ...


class NoDiscounts:
    async def apply(
        self, uow: UnitOfWork, account_id: str, order: dict[str, Any]
    ) -> dict[str, Any]:
        return order

    async def record_usage(
        self,
        uow: UnitOfWork,
        account_id: str,
        draft_id: str,
        order: dict[str, Any],
        *,
        by: str,
    ) -> None:
        return None
