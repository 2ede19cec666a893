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
    amount: Amount | None = Field(None, description="The tax amount in minor units")
    amount_dwh: DecimalString | None = Field(
        None,
        description="The exact tax amount in minor units, as a decimal string, e.g. `5584.0440`",
    )
    exempt: Flag | None = Field(None, description="Whether the item is exempt from this tax")
    included_in_price: Flag | None = Field(
        None, description="Whether the item's amounts include the tax (absent: included)"
    )
    tax_basis: Amount | None = Field(
        None, description="The amount the tax is computed from, in minor units"
    )
    tax_basis_dwh: DecimalString | None = Field(
        None, description="`tax_basis` as an exact decimal string"
    )
    tax_code: Text | None = Field(None, description="The merchant's tax code")
    tax_group: Text | None = Field(None, description="The tax group, e.g. `Vmva-høy`")


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

    amount: Amount | None = Field(
        None, description="The discount in minor units, subtracted from the item's gross amount"
    )
    percentage: Percentage | None = Field(None, description="The discount in percent (0-100)")
    discount_type: DiscountType | None = Field(None, description="Kind of discount")
    discount_subtype: Text | None = Field(
        None, description="Free text qualifying `discount_type`, e.g. `campaign-periode-q3`"
    )
    discount_id: Text | None = Field(
        None, description="Id of the discount (rule) that gave the line"
    )
    description: Text | None = Field(None, description="The discount, in words")
    line_id: LineId | None = Field(
        None, description="Position of the line among the item's discount lines"
    )


class Addition(DocumentModel):
    """A customisation of an item (e.g. extra cheese); may be negative on reversals."""

    id: Text | None = Field(None, description="The addition's product id")
    description: Text | None = Field(None, description="The addition, in words")
    quantity: Integer | None = Field(None, description="How many")
    gross_amount: Amount | None = Field(
        None, description="The addition's total in minor units; negative on reversals"
    )
    groups: list[Group] | None = Field(None, description="Product groups of the addition")


class Dimension(DocumentModel):
    """Attributes that identify the variant of the product."""

    color: Text | None = Field(None, description="Colour")
    size: Text | None = Field(None, description="Size")
    style: Text | None = Field(None, description="Style")
    config: Text | None = Field(None, description="Configuration")
    variant: Text | None = Field(None, description="Variant")


class RelatedItem(DocumentModel):
    """A link to another line; `type` is free text, `reversed` has a special meaning."""

    line_id: LineId | None = Field(None, description="`line_id` of the related line")
    type: Text | None = Field(
        None,
        description="How the lines relate: free text, e.g. `required`; `reversed` marks this "
        "line as the reversal of the related one",
    )


class DynamicPayout(DocumentModel):
    """Which payout rule splits this item, overriding the draft's rule resolution."""

    rule_type: Text | None = Field(
        None, description="Type of the payout rule, e.g. `order.items.store.id`"
    )
    rule_id: Text | None = Field(None, description="Id of the payout rule, e.g. `sc029`")


class ExchangeRateFields(DocumentModel):
    """The 2025-11-30 exchange-rate details, settable on items and through order updates."""

    original_currency: CurrencyCode | None = Field(
        None, description="The currency the amount was first given in (ISO 4217), e.g. `SEK`"
    )
    original_gross_amount: Amount | None = Field(
        None, description="The gross amount in `original_currency`, in minor units"
    )
    conversion_rate_ppm: RatePpm | None = Field(
        None, description="The conversion rate in parts per million (1099000 = 1.099)"
    )
    conversion_rate_timestamp: DateTime | None = Field(
        None, description="When the conversion rate was taken"
    )
    conversion_rate_source: Text | None = Field(
        None, description="Where the conversion rate comes from, e.g. `ecb`"
    )


class OrderItem(ExchangeRateFields):
    """One order or draft line. `gross_amount` is the line total before discounts.

    `quantity` has no default here: the documented default of 1 is applied where it matters,
    never injected into the stored echo.
    """

    gross_amount: Amount = Field(
        description="The line total before discounts, in minor units (not a unit price); "
        "negative on a reversal line"
    )
    tax_lines: Annotated[list[TaxLine], Field(min_length=1)] = Field(
        description="The taxes on the line; at least one"
    )
    id: Text | None = Field(None, description="The product id (SKU)")
    line_id: LineId | None = Field(
        None,
        description="The line's number, unique among the items of the draft or order; "
        "assigned (highest + 1) when absent",
    )
    quantity: Number | None = Field(None, description="How many; 1 when absent")
    status: Text | None = Field(None, description="The line's status, free text")
    metadata: JsonObject | None = Field(None, description="The merchant's own key/values")
    groups: list[Group] | None = Field(None, description="Product groups of the item")
    description: Text | None = Field(None, description="The item, in words")
    description_alias: Text | None = Field(None, description="Short text for receipts")
    eligible_for_discount: Flag | None = Field(
        None, description="Whether discount rules may discount the item"
    )
    dimension: Dimension | None = Field(None, description="The product variant")
    discount_lines: list[DiscountLine] | None = Field(
        None, description="Discounts on the line; together between 0 and `gross_amount`"
    )
    additions: list[Addition] | None = Field(
        None, description="Customisations of the item, e.g. extra cheese"
    )
    store: ItemStore | None = Field(
        None, description="The line's sales location; a split draft makes one order per store"
    )
    external_id: Text | None = Field(
        None, description="The line's id in another system, e.g. `SL02-94821948`"
    )
    related_item: RelatedItem | None = Field(None, description="A link to another line")
    salesperson_id: Text | None = Field(None, description="Id of the salesperson")
    salesperson_name: Text | None = Field(None, description="Name of the salesperson")
    comment: Comment | None = Field(
        None, description="The customer's comment on the line (at most 255 characters)"
    )
    reversed_reason: Text | None = Field(
        None,
        description="Why the line reverses another; used in a draft that updates an existing order",
    )
    dynamic_payout: DynamicPayout | None = Field(
        None, description="The payout rule for this line, overriding the draft's resolution"
    )

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
