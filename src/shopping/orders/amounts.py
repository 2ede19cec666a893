"""Pure money arithmetic on order documents: line nets, order totals, tax lines.

All amounts are integers in minor units. Rates (`percentage`) may be fractional, so they are
turned into exact Decimals before any multiplication; rounding is half-even and happens once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from shopping.orders.errors import TaxRateOutOfRange

Json = dict[str, Any]

MANUAL_DISCOUNT = "manual"
MAX_TAX_PERCENTAGE = Decimal(100)
_FOUR_PLACES = Decimal("0.0001")


def discount_sum(item: Json, discount_type: str | None = None) -> int:
    return sum(
        int(line.get("amount") or 0)  # a discount line may carry only a percentage, or null
        for line in item.get("discount_lines") or ()
        if discount_type is None or line.get("discount_type") == discount_type
    )


def item_net_amount(item: Json) -> int:
    """`net_amount = gross_amount − Σ discount_lines.amount` (reference §10.8)."""
    return int(item["gross_amount"]) - discount_sum(item)


def order_totals(items: list[Json]) -> Json:
    """Order-level totals; every part is a sum over the lines, so parts always add up."""
    return {
        "gross_amount": sum(int(item["gross_amount"]) for item in items),
        "net_amount": sum(item_net_amount(item) for item in items),
        "total_discount": sum(discount_sum(item) for item in items),
        "total_manual_discount_amount": sum(discount_sum(item, MANUAL_DISCOUNT) for item in items),
    }


def exact_tax(net_amount: int, percentage: Decimal, included_in_price: bool) -> Decimal:
    if included_in_price:
        return Decimal(net_amount) * percentage / (100 + percentage)
    return Decimal(net_amount) * percentage / 100


def recompute_tax_line(tax_line: Json, net_amount: int) -> Json:
    """A tax line derived from its `percentage` and the item's net amount.

    Included in price: `net × p / (100 + p)`; otherwise `net × p / 100`; rounded half-even.
    `p` is a rate from 0 to 100.
    Exempt lines carry no tax. `_dwh` fields keep the exact value with four decimals.
    """
    percentage = Decimal(str(tax_line["percentage"]))
    if not 0 <= percentage <= MAX_TAX_PERCENTAGE:
        # input models bound it; a line stored before they did must not overflow the arithmetic
        raise TaxRateOutOfRange(tax_line["percentage"])
    included = tax_line.get("included_in_price") is not False  # absent or null: included
    exact = Decimal(0) if tax_line.get("exempt") else exact_tax(net_amount, percentage, included)
    return {
        **tax_line,
        "amount": int(exact.to_integral_value(rounding=ROUND_HALF_EVEN)),
        "amount_dwh": str(exact.quantize(_FOUR_PLACES, rounding=ROUND_HALF_EVEN)),
        "tax_basis": net_amount,
        "tax_basis_dwh": str(Decimal(net_amount).quantize(_FOUR_PLACES)),
    }
