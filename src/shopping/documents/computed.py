"""The order document as responses show it: what the client sent plus the fields the server
computes (line nets and versions, order totals, the stores present, payout splits).

These models describe responses in the OpenAPI document. Requests are validated with the
input models they extend, which drop computed fields a client echoes back; these keep them.
"""

from typing import Any

from pydantic import Field, model_validator

from .base import DocumentModel
from .common import Store
from .items import OrderItem, TaxLine
from .order import OrderObject
from .types import Amount, Flag, Integer, JsonObject, Number, Text


class ItemPayout(DocumentModel):
    """The payout split of one line: its rule, with the amount each node of the tree gets."""

    rule_id: Text | None = Field(None, description="Id of the payout rule applied")
    rule_type: Text | None = Field(None, description="Type of the payout rule applied")
    rule_version: Integer | None = Field(None, description="Version of the payout rule applied")
    destinations: list[JsonObject] | None = Field(
        None,
        description="The rule's destination tree, each node with the `amount` it receives "
        "(minor units) out of the line's `net_amount`",
    )


class StoredTaxLine(TaxLine):
    """A tax line as returned. Rates are bounded on input, but a line stored before they were
    is returned as it is (and refused only when its taxes are recomputed)."""

    percentage: Number = Field(
        description="The tax rate in percent (25 for 25 % VAT); 0 to 100 on every line "
        "accepted since rates were bounded"
    )


class OrderItemWithTotals(OrderItem):
    """An order or draft line as returned: the client's fields and the computed ones."""

    tax_lines: list[StoredTaxLine] = Field(  # type: ignore[assignment]
        description="The taxes on the line; at least one"
    )

    net_amount: Amount | None = Field(
        None,
        description="Read-only: `gross_amount` minus the discount lines' amounts, in minor units",
    )
    version: Integer | None = Field(
        None, description="Read-only: the draft version at which the line was last added or changed"
    )
    is_changed: Flag | None = Field(None, description="Read-only: always `false`")
    payout: ItemPayout | None = Field(
        None,
        description="Read-only: the line's payout split, when the draft asked for payouts and "
        "a rule applies",
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        return data  # a response carries the computed fields: keep them


class OrderObjectWithTotals(OrderObject):
    """A draft's `order` (and the content of an order) as returned: the client's fields, the
    computed lines and the order totals."""

    # narrower than the input's lines, which mypy cannot see through an invariant list
    items: list[OrderItemWithTotals] = Field(  # type: ignore[assignment]
        default_factory=list, description="The order lines, with their computed fields"
    )
    gross_amount: Amount | None = Field(
        None, description="Read-only: the sum of the lines' `gross_amount`, in minor units"
    )
    net_amount: Amount | None = Field(
        None, description="Read-only: the sum of the lines' `net_amount`, in minor units"
    )
    total_discount: Amount | None = Field(
        None, description="Read-only: the sum of all discount lines' amounts, in minor units"
    )
    total_manual_discount_amount: Amount | None = Field(
        None,
        description="Read-only: the sum of the `manual` discount lines' amounts, in minor units",
    )
    discounts: list[JsonObject] | None = Field(
        None,
        description="Read-only: the discounts the discount engine gave (with "
        "`apply_discounts=true`): each rule's id and the amounts it took per line",
    )
    stores: list[Store] | None = Field(
        None, description="Read-only: the distinct sales locations of the lines (`items[].store`)"
    )
    multiple_authorizations: Flag | None = Field(
        None, description="Read-only: the draft's `options.multiple_authorizations`"
    )
    time_to_live_expires_at: str | None = Field(
        None,
        description="Read-only: when the order expires (`updated_at` + `time_to_live`), as an "
        "ISO 8601 date-time; absent without `time_to_live`",
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        return data  # a response carries the computed fields: keep them
