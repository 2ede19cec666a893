"""Order items and their tax lines, discount lines and additions (spec §3.5, §3.6)."""

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from .base import DocumentModel, field_error, without_keys
from .common import Group, ItemStore
from .types import (
    Amount,
    Comment,
    CurrencyCode,
    DateTime,
    DecimalString,
    Flag,
    Integer,
    JsonObject,
    LineId,
    Number,
    Percentage,
    RatePpm,
    Text,
)

ITEM_READ_ONLY_FIELDS: frozenset[str] = frozenset({"net_amount", "is_changed", "version", "payout"})
"""Server-computed item fields: ignored when a client echoes them back."""


class TaxLine(DocumentModel):
    """One tax applied to an item; `percentage` is required (since 2019)."""

    percentage: Annotated[
        Percentage,
        Field(
            description="The tax rate in percent, from 0 to 100 (25 for 25 % VAT). Taxes are "
            "recomputed from it with `apply_discounts`, so it is bounded like a rate."
        ),
    ]
    amount: Amount | None = None
    amount_dwh: DecimalString | None = None
    exempt: Flag | None = None
    included_in_price: Flag | None = None
    tax_basis: Amount | None = None
    tax_basis_dwh: DecimalString | None = None
    tax_code: Text | None = None
    tax_group: Text | None = None


class DiscountType(StrEnum):
    """Kinds of discount Dintero knows (also an order-list filter)."""

    CUSTOMER = "customer"
    PERIODIC = "periodic"
    MANUAL = "manual"
    LOYALTY = "loyalty"
    TOTAL = "total"
    EMPLOYEE = "employee"
    EXTERNAL = "external"


class DiscountLine(DocumentModel):
    """A discount on an item; the item's net is its gross minus these amounts."""

    amount: Amount | None = None
    percentage: Percentage | None = None
    discount_type: DiscountType | None = None
    discount_subtype: Text | None = None
    discount_id: Text | None = None
    description: Text | None = None
    line_id: LineId | None = None


class Addition(DocumentModel):
    """A customisation of an item (e.g. extra cheese); may be negative on reversals."""

    id: Text | None = None
    description: Text | None = None
    quantity: Integer | None = None
    gross_amount: Amount | None = None
    groups: list[Group] | None = None


class Dimension(DocumentModel):
    """Attributes that identify the variant of the product."""

    color: Text | None = None
    size: Text | None = None
    style: Text | None = None
    config: Text | None = None
    variant: Text | None = None


class RelatedItem(DocumentModel):
    """A link to another line; `type` is free text, `reversed` has a special meaning."""

    line_id: LineId | None = None
    type: Text | None = None


class DynamicPayout(DocumentModel):
    """Which payout rule splits this item, overriding the draft's rule resolution."""

    rule_type: Text | None = None
    rule_id: Text | None = None


class ExchangeRateFields(DocumentModel):
    """The 2025-11-30 exchange-rate details, settable on items and through order updates."""

    original_currency: CurrencyCode | None = None
    original_gross_amount: Amount | None = None
    conversion_rate_ppm: RatePpm | None = None
    conversion_rate_timestamp: DateTime | None = None
    conversion_rate_source: Text | None = None


class OrderItem(ExchangeRateFields):
    """One order or draft line. `gross_amount` is the line total before discounts.

    `quantity` has no default here: the documented default of 1 is applied where it matters,
    never injected into the stored echo.
    """

    gross_amount: Amount
    tax_lines: Annotated[list[TaxLine], Field(min_length=1)]
    id: Text | None = None
    line_id: LineId | None = None
    quantity: Number | None = None
    status: Text | None = None
    metadata: JsonObject | None = None
    groups: list[Group] | None = None
    description: Text | None = None
    description_alias: Text | None = None
    eligible_for_discount: Flag | None = None
    dimension: Dimension | None = None
    discount_lines: list[DiscountLine] | None = None
    additions: list[Addition] | None = None
    store: ItemStore | None = None
    external_id: Text | None = None
    related_item: RelatedItem | None = None
    salesperson_id: Text | None = None
    salesperson_name: Text | None = None
    comment: Comment | None = None
    reversed_reason: Text | None = None
    dynamic_payout: DynamicPayout | None = None

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        return without_keys(data, ITEM_READ_ONLY_FIELDS)

    @model_validator(mode="after")
    def _discounts_within_gross(self) -> Self:
        discounts = [line.amount for line in self.discount_lines or () if line.amount is not None]
        if not discounts_fit(self.gross_amount, sum(discounts)):
            raise field_error(
                OrderItem,
                ("discount_lines",),
                "discounts_exceed_gross",
                DISCOUNTS_EXCEED_GROSS,
                self.discount_lines,
            )
        return self


DISCOUNTS_EXCEED_GROSS = (
    "The discount lines exceed the item's gross_amount: their total must lie between 0 and "
    "the gross_amount (a reversal line's are negative, like its gross_amount)"
)


def discounts_fit(gross_amount: int, total_discount: int) -> bool:
    """Discounts take a line's net from its gross toward zero, never past it.

    A reversal line is the negative of a sold line (negative `gross_amount`, negative
    discounts), and amounts, payments and refunds treat a line as a reversal when its net is
    negative. A discount larger than a normal line's gross would make it one by accident, and
    one that grew a reversal would refund more than was sold, so the total lies between 0 and
    the gross.
    """
    return min(0, gross_amount) <= total_discount <= max(0, gross_amount)
