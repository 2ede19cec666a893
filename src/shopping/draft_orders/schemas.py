"""Request and response shapes of the draft-order endpoints (Dintero field names exactly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from shopping.documents import DraftOptions, OrderObject
from shopping.documents.computed import OrderObjectWithTotals
from shopping.orders.schemas import Order

DraftStatus = Literal["open", "completed", "deleted"]

#: Server-set fields of a draft; a client that echoes a draft back has them ignored.
DRAFT_READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "created_by",
        "updated_at",
        "deleted_at",
        "deleted_by",
        "status",
        "events",
        "_links",
        "orders",
    }
)


class DraftOrderWrite(BaseModel):
    """Body of create and update: the cart (`order`) and its `options`. Read-only fields a
    client echoes back from a draft it read are ignored."""

    model_config = ConfigDict(extra="allow")

    order: OrderObject = Field(description="The cart: customer, lines and order details")
    options: DraftOptions | None = Field(
        None, description="How the draft becomes an order on completion"
    )
    version: StrictInt | None = Field(
        default=None,
        ge=1,
        description="Optimistic concurrency: when sent, it must be the draft's current "
        "`version`, else the answer is 409",
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in DRAFT_READ_ONLY_FIELDS}
        return data


class DraftLink(BaseModel):
    """A `_links` entry of a draft."""

    href: str = Field(description="The draft's URL")
    rel: str = Field(description="Always `draft`")


class ApiEventRequest(BaseModel):
    """The API call an event records."""

    path: str = Field(description="The request's path")
    method: str = Field(description="The request's HTTP method")
    body: str | None = Field(None, description="The request's body as text, if it had one")


class ApiEvent(BaseModel):
    """An audit record of an API call that changed the draft."""

    id: str = Field(description="The event's UUID")
    event_type: Literal["api-event"] = Field("api-event", description="Always `api-event`")
    created_at: datetime = Field(description="When the call changed the draft")
    created_by: str = Field(description="The client that made the call")
    version: int = Field(description="The draft version the call produced")
    request: ApiEventRequest = Field(description="The call")


class DraftOrder(BaseModel):
    """A draft order as returned: the server's fields, then the stored `order` and
    `options` (and any other top-level fields the client stored)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Read-only: the draft's UUID")
    status: DraftStatus = Field(
        description="Read-only: `open` until completed; `completed` drafts take only notes "
        "and metadata; `deleted` when the order it built expired"
    )
    version: int = Field(description="Read-only: bumped on every change (the ETag)")
    created_at: datetime = Field(description="Read-only: when the draft was created")
    created_by: str = Field(description="Read-only: the client that created it")
    updated_at: datetime = Field(description="Read-only: when the draft last changed")
    deleted_at: datetime | None = Field(None, description="Read-only: when it was deleted")
    links: list[DraftLink] = Field(alias="_links", description="Read-only: the draft's URL")
    events: list[ApiEvent] = Field(description="Read-only: one api-event per version, oldest first")
    options: DraftOptions | None = Field(
        None, description="How the draft becomes an order; absent once deleted"
    )
    order: OrderObjectWithTotals | None = Field(
        None, description="The cart with its computed lines and totals; absent once deleted"
    )


class CompletedDraft(DraftOrder):
    """The answer of a completion: the completed draft and the order(s) it made."""

    orders: list[Order] = Field(
        description="The orders created (one per store with `split_draft`), or the existing "
        "order the draft was merged into"
    )


class DraftOrderList(BaseModel):
    """A page of drafts, newest first."""

    draft_orders: list[DraftOrder] = Field(
        description="Up to `limit` drafts; pass the last one's `id` as `starting_after` for "
        "the next page"
    )
