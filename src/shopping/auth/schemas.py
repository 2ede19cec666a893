"""Request and response of the token endpoint (reference §7.1, decision 23)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant_type: Literal["client_credentials"] = Field(
        description="Always `client_credentials`: the client authenticates as itself"
    )
    audience: str | None = Field(
        default=None,
        max_length=255,
        description="Optional; when sent, the account's URL "
        "`https://api.dintero.com/v1/accounts/{aid}` (a trailing `/` is allowed)",
    )


class TokenResponse(BaseModel):
    access_token: str = Field(
        description="A JWT to send as `Authorization: Bearer …` on this account's operations; "
        "it carries the client's scopes"
    )
    token_type: Literal["Bearer"] = Field("Bearer", description="Always `Bearer`")
    expires_in: int = Field(description="Seconds until the token expires")
