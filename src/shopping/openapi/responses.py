"""What a route declares about its success response, for the OpenAPI document.

`success(Order, ORDER_EXAMPLE)` is a `responses=` fragment: the model FastAPI turns into the
response schema, and an example taken from Dintero's documentation. Handlers return their own
`Response`, so the model documents the body without FastAPI validating or re-serializing it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

Responses = dict[int | str, dict[str, Any]]


def success(
    model: Any,
    example: Any,
    *,
    status: int = 200,
    description: str | None = None,
) -> Responses:
    """The success response of a route: its schema (`model`) and an example body."""
    return {
        status: {
            "model": model,
            "description": description or HTTPStatus(status).phrase,
            "content": {"application/json": {"example": example}},
        }
    }


def no_content(description: str) -> Responses:
    """A 204 success response (no body)."""
    return {204: {"description": description}}
