"""Request and response shapes of the draft-order endpoints (Dintero field names exactly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from shopping.documents import DraftOptions, OrderObject

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
    """Body of create and update: the cart (`order`) and its `options`."""

    model_config = ConfigDict(extra="allow")

    order: OrderObject
    options: DraftOptions | None = None
    #: optimistic concurrency: when sent, it must be the draft's current version (else 409)
    version: StrictInt | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in DRAFT_READ_ONLY_FIELDS}
        return data


# Not `Link`: discount rules have a `Link` of another shape, and client generators name
# their classes after the schema's title, so two `Link`s would collide.
class DraftLink(BaseModel):
    """A link from a draft order to a related resource (an entry of `_links`)."""

    href: str
    rel: str


class ApiEventRequest(BaseModel):
    path: str
    method: str
    body: str | None = None


class ApiEvent(BaseModel):
    id: str
    event_type: Literal["api-event"] = "api-event"
    created_at: datetime
    created_by: str
    version: int
    request: ApiEventRequest


class DraftOrder(BaseModel):
    """A draft order as returned (documentation of the response; bodies are stored JSON)."""

    model_config = ConfigDict(extra="allow")

    id: str
    status: DraftStatus
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    deleted_at: datetime | None = None
    links: list[DraftLink] = Field(alias="_links")
    events: list[ApiEvent]
    options: dict[str, Any]
    order: dict[str, Any]


class DraftOrderList(BaseModel):
    draft_orders: list[DraftOrder]
