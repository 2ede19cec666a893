from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from shopping.documents.base import DocumentModel, field_error
from shopping.documents.types import Amount, DateTime, JsonObject, LineId, Text


class SessionLine(DocumentModel):
    line_id: LineId
    amount: Amount


class SessionUrls(DocumentModel):
    return_url: Annotated[str, Field(min_length=1, max_length=2048, strict=True)]
    callback_url: Annotated[str, Field(min_length=1, max_length=2048, strict=True)] | None = None
    merchant_terms_url: Annotated[str, Field(min_length=1, max_length=2048, strict=True)] | None = (
        None
    )


class SessionCreate(DocumentModel):
    """Body of POST /orders/{order_id}/sessions; Checkout's own objects (`express`,
    `shipping_option`) are stored as sent."""

    items: Annotated[list[SessionLine], Field(min_length=1, max_length=1000)]
    url: SessionUrls
    profile_id: Annotated[str, Field(min_length=1, max_length=255, strict=True)]
    processed_at: DateTime | None = None
    metadata: JsonObject | None = None
    express: JsonObject | None = None
    merchant_reference: Text | None = None
    shipping_option: JsonObject | None = None

    @model_validator(mode="after")
    def _unique_lines(self) -> SessionCreate:
        seen: set[int] = set()
        for position, line in enumerate(self.items):
            if line.line_id in seen:
                raise field_error(
                    SessionCreate,
                    ("items", position, "line_id"),
                    "value_error",
                    "Each line_id may appear once per session",
                    line.line_id,
                )
            seen.add(line.line_id)
        return self
