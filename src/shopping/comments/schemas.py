from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: StrictStr = Field(min_length=1, max_length=10000, pattern=r"^[^\x00]*$")
    visibility: Literal["private", "public"] = "private"
