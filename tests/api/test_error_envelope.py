"""Every error is Dintero's envelope (§10.2): never FastAPI's 422 shape, never internals."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from shopping.errors import Conflict, install_error_handlers

DRAFT = {
    "order": {
        "currency": "NOK",
        "items": [{"gross_amount": 1000, "tax_lines": [{"percentage": 25}]}],
    }
}


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def paths(error: dict[str, Any]) -> list[str]:
    return [detail["path"] for detail in error["errors"]]


# --- routing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/nope", "/v1", "/v1/accounts/T12345678/shopping/nope", "/v1/accounts/T12345678/auth"],
)
async def test_an_unknown_route_is_a_404_envelope(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)

    error = assert_envelope(response, 404, "NOT_FOUND")
    assert "errors" not in error


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/shopping/draft_orders"),
        ("PATCH", "/shopping/draft_orders"),
        ("GET", "/auth/token"),
    ],
)
async def test_a_wrong_method_is_a_405_envelope(
    http: httpx.AsyncClient, admin_headers: dict[str, str], account: str, method: str, path: str
) -> None:
    response = await http.request(method, f"/v1/accounts/{account}{path}", headers=admin_headers)

    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"]


# --- request validation: 400 VALIDATION_ERROR ----------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"order": ', id="truncated"),
        pytest.param(b"{'order': {}}", id="single-quotes"),
        pytest.param(b'{"order": {"currency": "NOK",}}', id="trailing-comma"),
    ],
)
async def test_a_malformed_json_body_is_a_400(api: httpx.AsyncClient, content: bytes) -> None:
    response = await api.post(
        "/draft_orders", content=content, headers={"Content-Type": "application/json"}
    )

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert error["message"] == "The request body is not valid JSON"
    assert (await api.get("/draft_orders")).json() == {"draft_orders": []}


async def test_wrong_types_are_a_400_with_the_field_paths(api: httpx.AsyncClient) -> None:
    body = {
        "order": {
            "currency": "NOK",
            "items": [
                {"gross_amount": "ten", "tax_lines": [{"percentage": 25}]},
                {"gross_amount": 1000, "tax_lines": [{"percentage": 25}]},
                {"gross_amount": [1], "tax_lines": [{"percentage": 25}]},
            ],
        }
    }

    response = await api.post("/draft_orders", json=body)

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert "order.items[0].gross_amount" in paths(error)
    assert "order.items[2].gross_amount" in paths(error)
    assert not any(path.startswith("order.items[1]") for path in paths(error))
    assert all(detail["message"] for detail in error["errors"])
    assert (await api.get("/draft_orders")).json() == {"draft_orders": []}


async def test_a_missing_required_field_names_its_path(api: httpx.AsyncClient) -> None:
    response = await api.post("/draft_orders", json={"options": {}})

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert paths(error) == ["order"]


@pytest.mark.parametrize("body", [[], "draft", 42, None])
async def test_a_body_that_is_not_an_object_is_a_400(api: httpx.AsyncClient, body: Any) -> None:
    response = await api.post("/draft_orders", json=body)

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert paths(error) == ["body"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
async def test_an_out_of_range_limit_is_a_400(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/draft_orders", params={"limit": limit})

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert paths(error) == ["limit"]


@pytest.mark.parametrize("limit", ["1", "100"])
async def test_the_limit_bounds_are_inclusive(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/draft_orders", params={"limit": limit})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("draft_id", ["not-a-uuid", "1234", "00000000-0000-0000-0000-00000000000g"])
async def test_an_invalid_uuid_in_the_path_is_a_400(api: httpx.AsyncClient, draft_id: str) -> None:
    response = await api.get(f"/draft_orders/{draft_id}")

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert paths(error) == ["id"]


async def test_an_invalid_account_id_is_a_400(
    http: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await http.get("/v1/accounts/A12345678/shopping/draft_orders", headers=admin_headers)

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert paths(error) == ["aid"]


# --- unexpected errors do not leak ------------------------------------------------------------

LEAK = "password=hunter2 at db.internal:5432"


@pytest.fixture
async def failing() -> AsyncIterator[httpx.AsyncClient]:
    """A tiny app with the project's error handlers and routes that fail in different ways."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError(LEAK)

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("The draft was changed", errors=[{"path": "version", "message": "stale"}])

    @app.get("/gone")
    async def gone() -> None:
        raise HTTPException(status_code=404, detail="Customer not found")

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(status_code=418, detail="I'm a teapot")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_an_unexpected_error_is_a_500_envelope_without_internals(
    failing: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="shopping.errors"):
        response = await failing.get("/crash")

    error = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert error == {"code": "INTERNAL_ERROR", "message": "An internal error occurred"}
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    # ... but the operator does get to see it in the log
    assert any(record.exc_info and LEAK in str(record.exc_info[1]) for record in caplog.records)
    # the server drops the connection after an unhandled error, and the response says so
    assert response.headers["connection"] == "close"


async def test_other_errors_keep_the_connection(failing: httpx.AsyncClient) -> None:
    assert "connection" not in (await failing.get("/conflict")).headers


async def test_a_shopping_error_keeps_its_status_code_and_details(
    failing: httpx.AsyncClient,
) -> None:
    response = await failing.get("/conflict")

    error = assert_envelope(response, 409, "CONFLICT")
    assert error == {
        "code": "CONFLICT",
        "message": "The draft was changed",
        "errors": [{"path": "version", "message": "stale"}],
    }


async def test_an_http_exception_becomes_an_envelope_with_its_message(
    failing: httpx.AsyncClient,
) -> None:
    gone = await failing.get("/gone")
    teapot = await failing.get("/teapot")

    assert assert_envelope(gone, 404, "NOT_FOUND")["message"] == "Customer not found"
    assert "detail" not in teapot.json()
    assert teapot.status_code == 418
    assert teapot.json()["error"]["message"] == "I'm a teapot"
