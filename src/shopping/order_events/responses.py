"""What the order-event endpoints answer: one service event, or the order's events with their
combined state (reference §3.13, decision 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shopping.draft_orders.schemas import ApiEvent

CombinedState = Literal["failure", "pending", "success"]


class EventsLink(BaseModel):
    """Where the order's events are listed."""

    href: str = Field(description="The URL of the order's events")
    rel: str = Field(description="Always `events`")


class ServiceEvent(BaseModel):
    """A service's report on the order's handling (`event_type: "service-event"`)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Read-only: the event's id (UUID), set by the server")
    event_type: Literal["service-event"] = Field(description="Always `service-event`")
    created_at: datetime = Field(description="Read-only: when it was reported (UTC)")
    created_by: str = Field(description="Read-only: the API client that reported it")
    version: int = Field(description="Read-only: the order's version when it was reported")
    state: Literal["error", "failure", "success", "pending"] = Field(
        description="How the service's handling stands"
    )
    service: str = Field(description="The reporting service")
    service_status: str = Field(description="The service's own status")
    description: str | None = Field(None, description="A note for people, as sent")
    metadata: dict[str, Any] | None = Field(None, description="The service's own data, as sent")


class CreatedServiceEvent(ServiceEvent):
    """A service event as its creation answers it: with a link to the order's events."""

    links: list[EventsLink] = Field(alias="_links", description="The order's events")


class OrderEventList(BaseModel):
    """The order's events and the state the service events add up to."""

    events: list[ApiEvent | ServiceEvent] = Field(
        description="Oldest first: an `api-event` for every change made through the API, "
        "and the `service-event`s services reported"
    )
    state: CombinedState = Field(
        description="From each service's latest event: `failure` if any is `error` or "
        "`failure`, else `pending` if there are none or any is `pending`, else `success`"
    )
