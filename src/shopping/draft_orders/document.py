"""Pure construction of the stored draft document from what the client sent.

The stored `order` is the client's input (unknown-but-valid fields included) plus the computed,
read-only fields: line ids, item `net_amount`/`version`/`is_changed`, order totals and `stores`.
"""

from __future__ import annotations

from typing import Any

from shopping.documents import ITEM_READ_ONLY_FIELDS, MAX_ORDER_ITEMS, ORDER_READ_ONLY_FIELDS
from shopping.documents.types import MAX_LINE_ID
from shopping.draft_orders.errors import LineIdTaken
from shopping.errors import ValidationFailed
from shopping.orders.amounts import item_net_amount, order_totals, recompute_tax_line
from shopping.orders.document import item_stores

Json = dict[str, Any]


def assign_line_ids(items: list[Json]) -> list[Json]:
    """Items keep the `line_id` they were sent with; the others get max(line_id)+1 in turn."""
    seen: set[int] = set()
    for item in items:
        line_id = item.get("line_id")
        if line_id is None:
            continue
        if line_id in seen:
            raise LineIdTaken(line_id)
        seen.add(line_id)
    next_id = max(seen, default=0) + 1
    out = []
    for item in items:
        if item.get("line_id") is None:
            if next_id > MAX_LINE_ID:
                # max+1 would be a line id the item endpoints and validation reject
                raise ValidationFailed(
                    f"No line_id is left above the highest one in use ({MAX_LINE_ID}); "
                    "send line_id explicitly",
                    errors=[{"path": "line_id", "message": f"max(line_id)+1 > {MAX_LINE_ID}"}],
                )
            item = {**item, "line_id": next_id}
            next_id += 1
        out.append(item)
    return out


def item_input(item: Json) -> Json:
    """An item as the client sent it, without the computed fields."""
    return {k: v for k, v in item.items() if k not in ITEM_READ_ONLY_FIELDS}


def order_input(order: Json) -> Json:
    """The order as the client sent it (items included), without the computed fields."""
    out = {k: v for k, v in order.items() if k not in ORDER_READ_ONLY_FIELDS}
    if out.get("items") is not None:
        out["items"] = [item_input(item) for item in out["items"]]
    return out


def recompute_taxes(item: Json) -> Json:
    """`apply_discounts`: tax lines follow the (possibly discounted) net amount."""
    net = item_net_amount(item)
    return {**item, "tax_lines": [recompute_tax_line(line, net) for line in item["tax_lines"]]}


def build_order(
    order: Json, *, version: int, previous: Json | None, options: Json, recompute: bool = False
) -> Json:
    """The stored order: input + computed fields.

    `previous` is the stored order before this change (None on create); an item whose input is
    unchanged keeps the `version` at which it was last added or changed.
    """
    previous_items = {
        item["line_id"]: item for item in (previous or {}).get("items") or () if "line_id" in item
    }
    # absent and empty are alike; `null` never gets past the input models
    order_items = list(order.get("items") or ())
    if len(order_items) > MAX_ORDER_ITEMS:
        # create and update validate this; adding an item must not get past it
        raise ValidationFailed(
            f"A draft holds at most {MAX_ORDER_ITEMS} items",
            errors=[{"path": "order.items", "message": f"more than {MAX_ORDER_ITEMS} items"}],
        )
    items = []
    for item in assign_line_ids(order_items):
        if recompute:
            item = recompute_taxes(item)
        before = previous_items.get(item["line_id"])
        unchanged = before is not None and item_input(before) == item
        items.append(
            {
                **item,
                "net_amount": item_net_amount(item),
                "version": before.get("version", version) if before and unchanged else version,
                "is_changed": False,
            }
        )
    built = {**order, "items": items, **order_totals(items)}
    built["stores"] = item_stores(items)
    built["multiple_authorizations"] = bool(options.get("multiple_authorizations", False))
    return built
