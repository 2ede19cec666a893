"""The HTTP headers the API reads and writes beside its bodies, as OpenAPI objects."""

from __future__ import annotations

import re
from typing import Any

IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the write safe to retry: the first request with a key is carried "
    "out once; a repeat with the same key and body gets the stored response again (with "
    "`Idempotent-Replayed: true`); the same key with another body is a 422. Keys are kept "
    "per account for 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "example": "3f1c8a52-9d0e-4c55-8f5e-0c2a1b7d9e41",
}

IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "Optimistic concurrency: the version (`ETag`) the change was based on. "
    "When the resource has moved on the answer is 409 `VERSION_CONFLICT`. `*` or no header: "
    "any version.",
    # what `kit.requests` accepts: `*`, or a version, quoted or not, weak or strong
    "schema": {"type": "string", "pattern": r'^(\*|(W/)?"?[0-9]{1,10}"?)$'},
    "example": '"3"',
}

ETAG: dict[str, Any] = {
    "description": "The resource's version, for `If-Match`.",
    "schema": {"type": "string"},
    "example": '"3"',
}
REPLAYED: dict[str, Any] = {
    "description": "`true` when this is the stored response of an earlier request with the "
    "same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}
RETRY_AFTER: dict[str, Any] = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer", "minimum": 0},
}

#: writes that name the version of a draft or an order they change (order events do not)
VERSIONED = re.compile(
    r"^/v1/accounts/\{aid\}/shopping/(draft_orders/\{id\}|orders/\{order_id\})(?!/events)"
)


def honours_if_match(path: str, method: str) -> bool:
    return method != "GET" and VERSIONED.match(path) is not None


def response_headers(
    status: str, response: dict[str, Any], schemas: dict[str, Any], *, idempotent: bool
) -> dict[str, Any]:
    """The headers of one documented response: `ETag` on a body with a `version`,
    `Idempotent-Replayed` on a write's success, `Retry-After` where the client should wait."""
    headers: dict[str, Any] = {}
    if status.startswith("2"):
        if "version" in _body_schema(response, schemas).get("properties", {}):
            headers["ETag"] = ETAG
        if idempotent:
            headers["Idempotent-Replayed"] = REPLAYED
    elif status == "429" or (status == "409" and idempotent):
        headers["Retry-After"] = RETRY_AFTER
    return headers


def _body_schema(response: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = response.get("content", {}).get("application/json", {})
    schema = schema.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        resolved: dict[str, Any] = schemas.get(ref.rsplit("/", 1)[-1], {})
        return resolved
    return schema
