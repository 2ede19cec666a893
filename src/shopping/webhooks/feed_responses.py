"""What the event feed answers: a page of the account's events, each with the body a webhook
carries (reference §5.11; the feed is this server's extension)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ShoppingEvent = Literal[
    "shopping_draft_add",
    "shopping_draft_update",
    "shopping_draft_complete",
    "shopping_order_update",
    "shopping_order_event_add",
    "shopping_order_delete",
]


class FeedEvent(BaseModel):
    """One event, with the body its webhook delivery carries (less `event_delivery`)."""

    model_config = ConfigDict(extra="allow")

    account_id: str = Field(description="The account the event belongs to")
    event: ShoppingEvent = Field(description="What happened")
    event_id: str = Field(
        description="The event's id (UUID); pass it as `starting_after` to read on after it"
    )
    sequence: int = Field(
        description="The event's number among its draft's or order's events: 1, 2, 3 … without gaps"
    )
    created_at: datetime = Field(description="When the change was made (UTC)")
    draft: dict[str, Any] | None = Field(
        None,
        description="`shopping_draft_*`: the draft as `GET /draft_orders/{id}` answers it "
        "(`shopping_draft_complete`: with the created `orders`)",
    )
    order: dict[str, Any] | None = Field(
        None,
        description="`shopping_order_*`: the order as `GET /orders/{order_id}` answers it "
        "(`shopping_order_delete`: what is left of it)",
    )
    order_event: dict[str, Any] | None = Field(
        None, description="`shopping_order_event_add`: the service event that was added"
    )


class EventFeedPage(BaseModel):
    events: list[FeedEvent] = Field(
        description="The account's events in the order their changes were committed; fewer "
        "than `limit` (or none) when there are no more yet"
    )
