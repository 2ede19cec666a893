"""The body of `POST /orders/{order_id}/comments` (reference §3.14, decision 15)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: StrictStr = Field(
        min_length=1,
        max_length=10000,
        pattern=r"^[^\x00]*$",
        description="The comment's text",
    )
    visibility: Literal["private", "public"] = Field(
        "private",
        description="`private` (the default): for the merchant's staff only; `public`: may be "
        "shown to the customer",
    )
