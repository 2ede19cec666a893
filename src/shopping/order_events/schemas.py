from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from shopping.documents.types import JsonObject


def contains_nul(value: Any) -> bool:
    """Whether a JSON value holds U+0000 anywhere (keys included). Postgres text cannot
    store it: such input is a 400, as on every endpoint, so no stored document holds what a
    text column or facet taken from it could not."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


class ServiceEventCreate(BaseModel):
    """`POST /orders/{order_id}/events` (reference §3.13)."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["error", "failure", "success", "pending"] = Field(
        "success",
        description="How the service's handling stands: `success` (the default), `pending`, "
        "`failure` or `error`; the order's combined `state` follows each service's latest",
    )
    service: StrictStr = Field(
        min_length=1, max_length=255, description="The reporting service, e.g. `kitchen`"
    )
    service_status: StrictStr = Field(
        min_length=1,
        max_length=255,
        description="The service's own status, e.g. `ready_for_pickup`",
    )
    description: StrictStr | None = Field(
        default=None, max_length=10000, description="A note for people, e.g. `food prepared`"
    )
    metadata: JsonObject | None = Field(
        None, description="The service's own data, e.g. the pickup shelf, stored as sent"
    )

    @field_validator("service", "service_status", "description", "metadata")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError("must not contain NUL characters")
        return value
