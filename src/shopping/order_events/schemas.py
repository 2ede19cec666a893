from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from shopping.documents.types import JsonObject


class ServiceEventCreate(BaseModel):
    """`POST /orders/{order_id}/events` (reference §3.13)."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["error", "failure", "success", "pending"] = "success"
    service: StrictStr = Field(min_length=1, max_length=255)
    service_status: StrictStr = Field(min_length=1, max_length=255)
    description: StrictStr | None = Field(default=None, max_length=10000)
    metadata: JsonObject | None = None


class EventList(BaseModel):
    events: list[dict[str, Any]]
    state: Literal["failure", "pending", "success"]
