"""Pure construction of order documents: from a completed draft, merged from a later draft,
and the fields derived from the rest (totals, stores, expiry)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shopping.kit.clock import isoformat
from shopping.orders.amounts import order_totals

Json = dict[str, Any]

OPEN = "open"
PENDING = "pending"
OPERATION_KINDS = ("authorizations", "captures", "refunds", "cancellations")
#: Fields the server owns on an order; a draft merged into an order never overwrites them.
SERVER_FIELDS = frozenset(
    {
        "id",
        "order_id",
        "status",
        "payment_status",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "deleted_at",
        "deleted_by",
        "cancelled_at",
        "cancelled_by",
        "cancelled_reason",
        "closed_at",
        "closed_by",
        "payment_details",
        "sessions",
        "comments",
        "time_to_live_expires_at",
        *OPERATION_KINDS,
    }
)


def new_order(
    *,
    order_uuid: str,
    order_id: str,
    content: Json,
    created_at: datetime,
    created_by: str,
) -> Json:
    """A freshly completed order: the draft's order content plus the server's fields.

    `content` is the draft's stored order (input and computed fields) restricted to this
    order's items; `Orders.insert` recomputes totals, stores and expiry from those items
    (`with_derived_fields`) as it stores the order.
    """
    order: Json = {
        **{k: v for k, v in content.items() if k not in SERVER_FIELDS},
        "id": order_uuid,
        "order_id": order_id,
        "status": OPEN,
        "payment_status": PENDING,
        "version": 1,
        "created_at": isoformat(created_at),
        "created_by": created_by,
        "updated_at": isoformat(created_at),
        "comments": [],
        "sessions": [],
        **{kind: [] for kind in OPERATION_KINDS},
    }
    return order


def with_derived_fields(order: Json, updated_at: datetime) -> Json:
    """Recompute what follows from the items and `time_to_live`; returns a new document."""
    items = order.get("items") or []
    out = {**order, "items": items, **order_totals(items), "stores": item_stores(items)}
    ttl = out.get("time_to_live")
    if isinstance(ttl, int):
        out["time_to_live_expires_at"] = isoformat(updated_at + timedelta(seconds=ttl))
    else:
        out.pop("time_to_live_expires_at", None)
    return out


def item_stores(items: list[Json]) -> list[Json]:
    stores: dict[str, Json] = {}
    for item in items:
        store = item.get("store")
        if isinstance(store, dict) and store.get("id") is not None:
            stores.setdefault(store["id"], store)
    return list(stores.values())


def order_store_from_item_store(store: Json) -> Json:
    """An item's store (`comment`) as an order-level store (`comments: [...]`)."""
    out = {k: v for k, v in store.items() if k != "comment"}
    if isinstance(store.get("comment"), str):
        out["comments"] = [store["comment"]]
    return out


def merge_items(existing: list[Json], incoming: list[Json]) -> list[Json]:
    """A draft merged into an order: lines with a known `line_id` are replaced in place,
    new lines are appended."""
    by_line = {item["line_id"]: item for item in incoming}
    merged = [by_line.pop(item["line_id"], item) for item in existing]
    return merged + [item for item in incoming if item["line_id"] in by_line]


def expires_at(order: Json, updated_at: datetime) -> datetime | None:
    ttl = order.get("time_to_live")
    return updated_at + timedelta(seconds=ttl) if isinstance(ttl, int) else None
