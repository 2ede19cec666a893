"""Pure: applying an `OrderUpdate` body (reference §3.9) to a stored order.

Order-level details are replaced field by field; per existing line only `status`,
`discount_lines` and the exchange-rate fields change. Server-owned and computed fields a client
echoes back are ignored. Fields that only a new draft may change (amounts, the set of lines,
currency …) are accepted when unchanged and rejected when different, so an echoed order can be
sent back as it was read.
"""

from __future__ import annotations

from typing import Any

from shopping.documents import ITEM_READ_ONLY_FIELDS, ORDER_READ_ONLY_FIELDS, discounts_fit
from shopping.orders.amounts import discount_sum, item_net_amount
from shopping.orders.document import SERVER_FIELDS
from shopping.orders.errors import DiscountsExceedGross, FieldNotUpdatable, OrderLineNotFound

Json = dict[str, Any]

IGNORED = SERVER_FIELDS | ORDER_READ_ONLY_FIELDS | {"_links", "events", "state"}
#: Set when the order is created; changed only by completing a draft with options.order_id.
DRAFT_ONLY = frozenset({"currency", "type", "order_number", "store", "attachments", "discounts"})
ITEM_UPDATABLE = frozenset(
    {
        "status",
        "discount_lines",
        "original_currency",
        "original_gross_amount",
        "conversion_rate_ppm",
        "conversion_rate_timestamp",
        "conversion_rate_source",
        "metadata",
    }
)


def apply_update(order: Json, update: Json) -> Json:
    """The order with `update` applied; equal to `order` when the update changes nothing
    (`{}`, `items: null`, an echo), which the caller then leaves unsaved."""
    out = dict(order)
    for field, value in update.items():
        if field in IGNORED:
            continue
        if field == "items":
            if value is not None:  # `items: null` names no line to change
                out["items"] = _apply_item_updates(order.get("items") or [], value)
        elif field in DRAFT_ONLY:
            if order.get(field) != value:
                raise FieldNotUpdatable(field)
        else:
            out[field] = value
    return out


def _apply_item_updates(items: list[Json], updates: list[Json]) -> list[Json]:
    by_line = {item["line_id"]: dict(item) for item in items}
    for position, change in enumerate(updates):
        line_id = change["line_id"]
        line = by_line.get(line_id)
        if line is None:
            raise OrderLineNotFound(line_id, position)
        for field, value in change.items():
            if field == "line_id" or field in ITEM_READ_ONLY_FIELDS:
                continue
            if field in ITEM_UPDATABLE:
                line[field] = value
            elif line.get(field) != value:
                raise FieldNotUpdatable(f"items[{position}].{field}")
        if "discount_lines" in change:
            if not discounts_fit(int(line["gross_amount"]), discount_sum(line)):
                raise DiscountsExceedGross(f"items[{position}].discount_lines")
            # a discount line may carry only a percentage (amount absent or null)
            line["net_amount"] = item_net_amount(line)
    return [by_line[item["line_id"]] for item in items]
