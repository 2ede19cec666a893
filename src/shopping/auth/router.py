"""`POST /v1/accounts/{aid}/auth/token`: client credentials (HTTP Basic) for a bearer token."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Header

from shopping.auth.clients import authenticate
from shopping.auth.examples import TOKEN_REQUEST, TOKEN_RESPONSE
from shopping.auth.schemas import TokenRequest, TokenResponse
from shopping.auth.tokens import audience
from shopping.deps import AccountId, DatabaseDep, TokensDep
from shopping.errors import BadRequest, ErrorEnvelope, InvalidClient
from shopping.openapi.responses import success

router = APIRouter(tags=["auth"])
MAX_CLIENT_ID_LENGTH = 64
TOKEN_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorEnvelope,
        "description": "The body is not a client-credentials grant, names another account as "
        "`audience`, or the account id in the path is malformed.",
    },
    401: {
        "model": ErrorEnvelope,
        "description": "`INVALID_CLIENT`: no HTTP Basic credentials, malformed ones, or a "
        "client id and secret that are not an active client of this account "
        "(`WWW-Authenticate: Basic`).",
    },
    413: {"model": ErrorEnvelope},
}


@router.post(
    "/v1/accounts/{aid}/auth/token",
    summary="Get an access token",
    responses={**success(TokenResponse, TOKEN_RESPONSE), **TOKEN_ERRORS},
    openapi_extra={"requestBody": {"content": {"application/json": {"example": TOKEN_REQUEST}}}},
)
async def issue_token(
    aid: AccountId,
    body: TokenRequest,
    db: DatabaseDep,
    tokens: TokensDep,
    # documented as the operation's `clientCredentials` security: OpenAPI ignores an
    # `Authorization` header parameter
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> TokenResponse:
    """Exchanges an API client's id and secret, sent as HTTP Basic credentials, for a bearer
    token for this account, valid for `expires_in` seconds and carrying the client's scopes.
    Clients are created with `shopping-api clients create`; a revoked client gets no new
    tokens (those it holds work until they expire). Keep the token until shortly before it
    expires rather than asking for one per request."""
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
