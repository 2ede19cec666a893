"""The busiest writes read their JSON body themselves (`kit/json_body.py`): clients see the
same 400 envelopes as on every other route, and the OpenAPI document still declares the body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.drafts import create_draft, item

JSON = {"Content-Type": "application/json"}
NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from"


@pytest.fixture
async def item_path(api: httpx.AsyncClient) -> str:
    draft = await create_draft(api)
    return f"/draft_orders/{draft['id']}/items"


def _error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


@pytest.mark.parametrize(
    ("content", "headers", "expected"),
    [
        pytest.param(b"", JSON, [{"path": "body", "message": "Field required"}], id="empty"),
        pytest.param(b"null", JSON, [{"path": "body", "message": NOT_AN_OBJECT}], id="null"),
        pytest.param(b"[1]", JSON, [{"path": "body", "message": NOT_AN_OBJECT}], id="array"),
        pytest.param(b"{}", {}, [{"path": "body", "message": NOT_AN_OBJECT}], id="no-type"),
        pytest.param(
            b"{}",
            {"Content-Type": "text/plain"},
            [{"path": "body", "message": NOT_AN_OBJECT}],
            id="text",
        ),
        pytest.param(
            b'{"gross_amount": "1", "tax_lines": [{"percentage": 25}]}',
            JSON,
            [{"path": "gross_amount", "message": "Input should be a valid integer"}],
            id="wrong-type",
        ),
    ],
)
async def test_a_refused_item_body_is_the_usual_envelope(
    api: httpx.AsyncClient,
    item_path: str,
    content: bytes,
    headers: dict[str, str],
    expected: list[dict[str, str]],
) -> None:
    error = _error(await api.post(item_path, content=content, headers=headers))

    assert error["code"] == "VALIDATION_ERROR"
    assert error["message"] == "The request is invalid"
    assert error["errors"] == expected


@pytest.mark.parametrize("content", [b"{", b'{"a": 1} x', b"{'a': 1}"])
async def test_malformed_json_is_named_as_such(
    api: httpx.AsyncClient, item_path: str, content: bytes
) -> None:
    error = _error(await api.post(item_path, content=content, headers=JSON))

    assert error == {"code": "VALIDATION_ERROR", "message": "The request body is not valid JSON"}


async def test_a_body_json_loads_reads_is_read(api: httpx.AsyncClient, item_path: str) -> None:
    """UTF-16 with a byte-order mark is JSON to `json.loads` (and so to FastAPI)."""
    content = json.dumps(item(line_id=5)).encode("utf-16")

    response = await api.post(item_path, content=content, headers=JSON)

    assert response.status_code == 200, response.text
    assert [line["line_id"] for line in response.json()["order"]["items"]][-1] == 5


@pytest.mark.parametrize(
    "path", ["/draft_orders", "/orders/o-1/authorizations", "/orders/o-1/sessions"]
)
async def test_the_other_handler_read_bodies_refuse_alike(
    api: httpx.AsyncClient, path: str
) -> None:
    error = _error(await api.post(path, content=b"42", headers=JSON))

    assert error["errors"] == [{"path": "body", "message": NOT_AN_OBJECT}]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize(
    ("method", "path", "model"),
    [
        ("post", "/v1/accounts/{aid}/shopping/draft_orders", "DraftOrderWrite"),
        ("post", "/v1/accounts/{aid}/shopping/draft_orders/{id}/items", "OrderItem"),
        ("post", "/v1/accounts/{aid}/shopping/orders/{order_id}/captures", "OperationCreate"),
        ("post", "/v1/accounts/{aid}/shopping/orders/{order_id}/sessions", "PaymentSessionCreate"),
    ],
)
async def test_the_openapi_document_declares_the_body(
    http: httpx.AsyncClient, method: str, path: str, model: str
) -> None:
    document = (await http.get("/openapi.json")).json()

    body = document["paths"][path][method]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json"}
    assert body["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{model}"
    }
    assert "properties" in document["components"]["schemas"][model]


async def test_every_reference_in_the_openapi_document_resolves(app: FastAPI) -> None:
    document = app.openapi()
    schemas = document["components"]["schemas"]

    missing = {ref for ref in _refs(document) if ref.split("/")[-1] not in schemas}
    assert missing == set()
