"""The discount-engine seam behind `apply_discounts=true` (reference §2.1, §10.8).

Dintero asks its DealEngine for available discounts. A self-hosted deployment plugs its own
engine in here; the built-in provider offers no discounts, so `apply_discounts=true` only
recomputes the tax lines from the items' net amounts.
"""

from __future__ import annotations

from typing import Any, Protocol


class DiscountProvider(Protocol):
    async def apply(self, account_id: str, order: dict[str, Any]) -> dict[str, Any]:
        """The order with any available discount lines added to its items."""
        ...


class NoDiscounts:
    async def apply(self, account_id: str, order: dict[str, Any]) -> dict[str, Any]:
        return order
