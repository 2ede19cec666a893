"""The Shopping API's webhook events (reference §5.11)."""

from __future__ import annotations

DRAFT_ADD = "shopping_draft_add"
DRAFT_UPDATE = "shopping_draft_update"
DRAFT_COMPLETE = "shopping_draft_complete"
ORDER_UPDATE = "shopping_order_update"
ORDER_EVENT_ADD = "shopping_order_event_add"
ORDER_DELETE = "shopping_order_delete"
PING = "ping"

SHOPPING_EVENTS = (
    DRAFT_ADD,
    DRAFT_UPDATE,
    DRAFT_COMPLETE,
    ORDER_UPDATE,
    ORDER_EVENT_ADD,
    ORDER_DELETE,
)
