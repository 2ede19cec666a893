"""The body of `PUT /orders/{order_id}` (spec §3.9).

An order update changes order-level details and, per existing line, only its status, discount
lines and exchange-rate details. Amounts and the set of lines change only through a new draft
with `options.order_id` (§5.3), so items here carry no `gross_amount` or `tax_lines`.
"""

from pydantic import Field

from .items import DiscountLine, ExchangeRateFields
from .order import OrderDetails
from .types import LineId, Text


class OrderItemUpdate(ExchangeRateFields):
    """Changes to one existing line, addressed by its required `line_id`."""

    line_id: LineId = Field(description="The line to change")
    status: Text | None = Field(None, description="The line's new status, free text")
    discount_lines: list[DiscountLine] | None = Field(
        None, description="The line's discount lines, replacing the current ones"
    )


class OrderUpdate(OrderDetails):
    """All fields optional; only what is sent is changed.

    `delivery_id` is accepted here because the changelog lets it be set once the order
    exists (§5.4), even though §3.9's field list omits it.
    """

    items: list[OrderItemUpdate] | None = Field(
        None, description="Changes to existing lines, each addressed by `line_id`"
    )
    delivery_id: Text | None = Field(None, description="Id of the delivery, once known")
