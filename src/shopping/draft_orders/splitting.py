"""Pure: which items become which order when a draft completes (reference §10.9–10)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopping.orders.document import item_stores, order_store_from_item_store

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class OrderPart:
    store: Json | None
    items: list[Json]


def split_items(order: Json, *, split: bool) -> list[OrderPart]:
    """One part per distinct item `store.id` (in order of first appearance) when splitting;
    items without a store form one part with the order-level store, together with the items
    whose store is the order-level store. Otherwise one part."""
    items = list(order.get("items") or [])
    order_store = order.get("store") if isinstance(order.get("store"), dict) else None
    if not split:
        return [OrderPart(order_store, items)]
    # items without a store are sold at the order-level store: same location, same group
    home = order_store.get("id") if order_store is not None else None
    home = home if isinstance(home, str) else None
    groups: dict[str | None, list[Json]] = {}
    for item in items:
        store = item.get("store")
        key = store.get("id") if isinstance(store, dict) else None
        groups.setdefault(key if isinstance(key, str) else home, []).append(item)
    parts = []
    for key, group in groups.items():
        if key is None or key == home:
            store = order_store
        else:
            store = order_store_from_item_store(item_stores(group)[0])
        parts.append(OrderPart(store, group))
    return parts


def part_content(order: Json, part: OrderPart, *, number_suffix: int | None) -> Json:
    """The draft's order restricted to one part: its items, its store, its order number."""
    content = {**order, "items": part.items}
    content.pop("store", None)
    if part.store is not None:
        content["store"] = part.store
    if number_suffix is not None and isinstance(order.get("order_number"), str):
        content["order_number"] = f"{order['order_number']}-{number_suffix}"
    return content
