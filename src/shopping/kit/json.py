"""Fast JSON in and out (orjson), shared by responses and the database layer."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def dumps_str(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(value: str | bytes) -> Any:
    return orjson.loads(value)


class JsonResponse(Response):
    """A JSON response rendered with orjson; bodies are already plain JSON documents."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def extend_object(raw: str, fields: dict[str, Any]) -> str:
    """A stored JSON object (text) with more fields appended, without parsing it.

    Reads return stored documents almost as they are; splicing the few response-only fields
    in saves decoding and re-encoding the whole document on every read.
    """
    body = raw.rstrip()
    if not body.endswith("}"):
        raise ValueError("not a JSON object")
    extra = orjson.dumps(fields).decode()[1:-1]
    if not extra:
        return body
    inner = body[:-1].rstrip()
    separator = "" if inner.endswith("{") else ","
    return f"{inner}{separator}{extra}}}"


class RawJsonResponse(Response):
    """A response whose body is already JSON text."""

    media_type = "application/json"
