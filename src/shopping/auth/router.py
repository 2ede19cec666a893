"""`POST /v1/accounts/{aid}/auth/token`: client credentials (HTTP Basic) for a bearer token."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal

from fastapi import APIRouter, Header
from pydantic import BaseModel, ConfigDict, Field

from shopping.auth.clients import authenticate
from shopping.auth.tokens import audience
from shopping.deps import AccountId, DatabaseDep, TokensDep
from shopping.errors import BadRequest, InvalidClient

router = APIRouter(tags=["auth"])
MAX_CLIENT_ID_LENGTH = 64


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant_type: Literal["client_credentials"]
    audience: str | None = Field(default=None, max_length=255)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int


@router.post("/v1/accounts/{aid}/auth/token")
async def issue_token(
    aid: AccountId,
    body: TokenRequest,
    db: DatabaseDep,
    tokens: TokensDep,
    authorization: Annotated[str | None, Header()] = None,
) -> TokenResponse:
    client_id, secret = _basic_credentials(authorization)
    if body.audience is not None and body.audience.rstrip("/") != audience(aid):
        raise BadRequest(f"audience must be {audience(aid)}")
    async with db.read() as conn:
        principal = await authenticate(conn, aid, client_id, secret)
    token = tokens.issue(principal)
    return TokenResponse(access_token=token, expires_in=tokens.ttl_seconds)


def _basic_credentials(header: str | None) -> tuple[str, str]:
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise InvalidClient("HTTP Basic client credentials are required")
    try:
        client_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient("Malformed HTTP Basic credentials") from exc
    if not sep or not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH or "\x00" in client_id:
        raise InvalidClient("Malformed HTTP Basic credentials")
    return client_id, secret
