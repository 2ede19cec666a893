"""A route that words one of its errors itself keeps that wording in the OpenAPI document;
the others get the API-wide descriptions."""

from __future__ import annotations

from typing import Any

from shopping.app import create_app
from shopping.config import Settings
from shopping.openapi.document import ERROR_DESCRIPTIONS


def responses_of(path: str, method: str) -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", jwt_secret="x" * 40))
    responses: dict[str, Any] = app.openapi()["paths"][path][method]["responses"]
    return responses


def test_the_token_endpoint_describes_its_own_401_and_400() -> None:
    responses = responses_of("/v1/accounts/{aid}/auth/token", "post")

    assert "INVALID_CLIENT" in responses["401"]["description"]
    assert responses["401"]["description"] != ERROR_DESCRIPTIONS["401"]
    assert "audience" in responses["400"]["description"]
    assert responses["413"]["description"] == ERROR_DESCRIPTIONS["413"]


def test_other_routes_get_the_api_wide_descriptions() -> None:
    responses = responses_of("/v1/accounts/{aid}/shopping/orders/{order_id}/captures", "post")

    for status in ("400", "401", "403", "404", "409"):
        assert responses[status]["description"] == ERROR_DESCRIPTIONS[status]
