"""Security schemes and per-operation requirements.

Every `/v1/accounts/{aid}/...` operation takes a bearer JWT from the token endpoint; the token
endpoint itself takes the client's id and secret as HTTP Basic. An operation that accepts any
one of several scopes lists one requirement per scope (OpenAPI: the requirements of the
`security` list are alternatives).
"""

from __future__ import annotations

from typing import Any

BEARER = "bearerAuth"
CLIENT_CREDENTIALS = "clientCredentials"
TOKEN_PATH = "/v1/accounts/{aid}/auth/token"  # noqa: S105 - a path, not a secret

SECURITY_SCHEMES: dict[str, Any] = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from `POST /v1/accounts/{aid}/auth/token`, valid for "
        "its account only. Each operation lists the scopes it accepts.",
    },
    CLIENT_CREDENTIALS: {
        "type": "http",
        "scheme": "basic",
        "description": "The API client's id and secret (`shopping-api clients create`).",
    },
}


def requirements(path: str, scopes: frozenset[str] | None) -> list[dict[str, list[str]]]:
    if path == TOKEN_PATH:
        return [{CLIENT_CREDENTIALS: []}]
    if scopes is None:
        return []  # open: health checks
    return [{BEARER: [scope]} for scope in sorted(scopes)]
