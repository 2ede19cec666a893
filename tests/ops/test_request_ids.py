"""`X-Request-Id`: the client's when it is a sane token, else a new one; on every response."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI

from shopping.observability.context import current_request_id
from tests.ops.conftest import captured_json_logs, client, ops_app
from tests.support.drafts import draft_body, item

HEADER = "X-Request-Id"


@pytest.mark.parametrize(
    "sent",
    ["abc", "req-2024-05-01T12:00:00.123", "A.b_c:d-e", "x" * 128],
)
async def test_a_sane_client_id_is_returned_as_is(http: httpx.AsyncClient, sent: str) -> None:
    response = await http.get("/health/live", headers={HEADER: sent})
    assert response.status_code == 200
    assert response.headers[HEADER] == sent


@pytest.mark.parametrize(
    "sent",
    ["x" * 129, "has space", "semi;colon", "slash/", 'quote"', "ünïcode".encode(), ""],
)
async def test_an_unfit_client_id_is_replaced(http: httpx.AsyncClient, sent: str | bytes) -> None:
    raw = sent if isinstance(sent, bytes) else sent.encode()
    response = await http.get("/health/live", headers=[(HEADER.encode(), raw)])
    returned = response.headers[HEADER]
    assert returned != sent
    assert len(returned) == 32
    assert all(c in "0123456789abcdef" for c in returned)


async def test_without_one_each_request_gets_a_new_id(http: httpx.AsyncClient) -> None:
    ids = {(await http.get("/health/live")).headers[HEADER] for _ in range(5)}
    assert len(ids) == 5


async def test_error_responses_carry_the_id(
    http: httpx.AsyncClient, api: httpx.AsyncClient, account: str
) -> None:
    unknown = await http.get("/no/such/route", headers={HEADER: "e-404"})
    no_token = await http.get(
        f"/v1/accounts/{account}/shopping/draft_orders", headers={HEADER: "e-401"}
    )
    invalid = await api.post("/draft_orders", json={"order": {}}, headers={HEADER: "e-400"})
    not_allowed = await http.delete("/health/live", headers={HEADER: "e-405"})
    for response, status, request_id in [
        (unknown, 404, "e-404"),
        (no_token, 401, "e-401"),
        (invalid, 400, "e-400"),
        (not_allowed, 405, "e-405"),
    ]:
        assert response.status_code == status, response.text
        assert response.headers[HEADER] == request_id
        assert "error" in response.json()


async def test_successful_writes_carry_the_id(api: httpx.AsyncClient) -> None:
    created = await api.post("/draft_orders", json=draft_body(item()), headers={HEADER: "w-1"})
    assert created.status_code == 200, created.text
    assert created.headers[HEADER] == "w-1"


def _boom_app(app: FastAPI) -> None:
    async def boom() -> None:
        logging.getLogger("shopping.test").warning("about to fail")
        raise RuntimeError("boom")

    async def whoami() -> dict[str, str | None]:
        return {"request_id": current_request_id()}

    app.add_api_route("/boom", boom)
    app.add_api_route("/whoami", whoami)


async def test_an_unhandled_error_is_a_500_envelope_with_the_id_and_logged_with_it(
    database_url: str,
) -> None:
    async with ops_app(database_url) as app, client(app) as http:
        _boom_app(app)
        with captured_json_logs("shopping.errors", "shopping.test") as logs:
            response = await http.get("/boom", headers={HEADER: "boom-1"})
        assert response.status_code == 500
        assert response.headers[HEADER] == "boom-1"
        assert response.json()["error"]["code"] == "INTERNAL_ERROR"
        # logs written while handling the request name it
        assert {(line["logger"], line["request_id"]) for line in logs} == {
            ("shopping.test", "boom-1"),
            ("shopping.errors", "boom-1"),
        }
        assert "RuntimeError: boom" in next(
            line["exception"] for line in logs if line["logger"] == "shopping.errors"
        )

        seen = await http.get("/whoami", headers={HEADER: "who-1"})
        assert seen.json() == {"request_id": "who-1"}
    assert current_request_id() is None  # reset after the request
