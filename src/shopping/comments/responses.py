"""What the comment endpoints answer: the order, with its live comments (reference §2 rows
15–16). The order's other fields are those `GET /orders/{order_id}` answers with; only the
ones these endpoints change are spelled out here."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Comment(BaseModel):
    """A note on an order."""

    id: str = Field(description="Read-only: the comment's id (UUID), set by the server")
    created_at: datetime = Field(description="Read-only: when it was written (UTC)")
    created_by: str = Field(description="Read-only: the API client that wrote it")
    body: str = Field(description="The comment's text")
    visibility: Literal["private", "public"] = Field(
        description="`private`: for the merchant's staff only; `public`: may be shown to the "
        "customer"
    )


class CommentedOrder(BaseModel):
    """The order, as `GET /orders/{order_id}` answers it, after its comments changed."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Read-only: the order's id (UUID)")
    order_id: str | None = Field(None, description="The order's own reference")
    status: str | None = Field(None, description="`open`, `closed` or `cancelled`")
    version: int = Field(description="Read-only: the order's version, raised by every change")
    comments: list[Comment] = Field(description="The order's live comments, oldest first")
