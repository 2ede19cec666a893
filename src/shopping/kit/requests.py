"""What the service layer needs to know about the HTTP call that triggered a change."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.types import Scope

from shopping.errors import ValidationFailed
from shopping.kit.principal import Principal
from shopping.kit.strict_json import check_strict_json

IDEMPOTENCY_KEY = "idempotency-key"
MAX_IDEMPOTENCY_KEY_LENGTH = 255
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,10})"?$')


@dataclass(frozen=True, slots=True)
class ApiCall:
    """The caller and the request: audit events (`api-event`), `_links`, idempotency and
    optimistic-concurrency preconditions."""

    principal: Principal
    method: str
    path: str
    body: str | None
    base_url: str
    idempotency_key: str | None = None
    request_hash: str = ""
    #: the version named by `If-Match`, if the request carried one
    if_match: int | None = None

    @property
    def account_id(self) -> str:
        return self.principal.account_id


async def build_call(request: Request, principal: Principal, public_url: str | None) -> ApiCall:
    """Reads need no body, fingerprint or preconditions: only writes pay for them."""
    _refuse_nul(request.scope)
    base = (public_url or _origin(request)).rstrip("/")
    base_url = f"{base}/v1/accounts/{principal.account_id}/shopping"
    path = request.scope["path"]
    if request.method in ("GET", "HEAD"):
        return ApiCall(principal, request.method, path, None, base_url)
    raw = await request.body()
    if _JSON_NUL.search(raw):
        raise _nul_error(_nul_path(raw))
    check_strict_json(raw)
    key = _idempotency_key(request)
    return ApiCall(
        principal=principal,
        method=request.method,
        path=path,
        body=raw.decode("utf-8", "replace") if raw else None,
        base_url=base_url,
        idempotency_key=key,
        request_hash=request_fingerprint(request, raw) if key is not None else "",
        if_match=_if_match(request),
    )


#: `\u0000` as a JSON escape (not preceded by an escaping backslash): Postgres text cannot
#: hold U+0000 (the indexed columns and facet rows taken from a document are text), so it is
#: refused up front for every endpoint alike.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _refuse_nul(scope: Scope) -> None:
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, str) and "\x00" in value:
            raise _nul_error(name)
    query = scope["query_string"]
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                raise _nul_error(name.replace("\x00", ""))
        raise _nul_error("query")


def _nul_path(raw: bytes) -> str:
    """Where in the JSON body the first U+0000 is, as an error path (`order.items[0].id`)."""
    try:
        stack: list[tuple[str, Any]] = [("", orjson.loads(raw))]
    except orjson.JSONDecodeError:
        return "body"
    while stack:
        path, node = stack.pop(0)
        if isinstance(node, str) and "\x00" in node:
            return path or "body"
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}" if path else key
                if "\x00" in key:
                    return child.replace("\x00", "")
                stack.append((child, value))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", value) for i, value in enumerate(node))
    return "body"


def _nul_error(part: str) -> ValidationFailed:
    return ValidationFailed(
        "The request must not contain the character U+0000",
        errors=[{"path": part, "message": "contains U+0000"}],
    )


def _origin(request: Request) -> str:
    """`scheme://host` as the client addressed us (cheaper than building a URL object)."""
    host = request.headers.get("host")
    if host is None:
        server = request.scope.get("server") or ("localhost", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{request.scope.get('scheme', 'http')}://{host}"


def request_fingerprint(request: Request, raw_body: bytes) -> str:
    """What makes two requests "the same" for an idempotency key."""
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, str(sorted(request.query_params.multi_items()))):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(raw_body)
    return digest.hexdigest()


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} characters",
            errors=[{"path": "Idempotency-Key", "message": "invalid length"}],
        )
    return key


def _if_match(request: Request) -> int | None:
    value = request.headers.get("if-match")
    if value is None or value.strip() == "*":  # `*` matches any current version (RFC 9110)
        return None
    match = _ETAG.match(value.strip())
    if match is None:
        raise ValidationFailed(
            'If-Match must name a version, e.g. "3"',
            errors=[{"path": "If-Match", "message": "not a version"}],
        )
    return int(match.group(1))
