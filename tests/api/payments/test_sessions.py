"""Payment (Checkout) sessions of an order (reference §2 rows 31–33, §3.12, decision 26)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.orders import api_events, client
from tests.support.payments import (
    authorized_order,
    created,
    details,
    error,
    fetch,
    op_lines,
    order_with_lines,
)

Json = dict[str, Any]

URLS = {
    "return_url": "https://shop.example/return",
    "callback_url": "https://shop.example/callback",
    "merchant_terms_url": "https://shop.example/terms",
}


def session_body(amounts: dict[int, int] | None = None, **fields: Any) -> Json:
    body: Json = {
        "items": op_lines(amounts if amounts is not None else {1: 10000}),
        "url": {"return_url": URLS["return_url"]},
        "profile_id": "P-checkout",
    }
    body.update(fields)
    return body


async def start(api: httpx.AsyncClient, order_id: str, body: Json) -> httpx.Response:
    return await api.post(f"/orders/{order_id}/sessions", json=body)


async def started(api: httpx.AsyncClient, order_id: str, body: Json) -> Json:
    response = await start(api, order_id, body)
    assert response.status_code == 200, response.text
    session: Json = response.json()
    return session


def checkout_url(app: FastAPI) -> str:
    """Unset `SHOPPING_CHECKOUT_URL`: the hosted page of this server, at the request's origin."""
    assert app.state.settings.checkout_url is None
    return "http://testserver"


async def test_create_a_session(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    body = session_body(
        {1: 10000, 2: 2500},
        url=URLS,
        processed_at="2024-05-01T10:00:00Z",
        metadata={"cart": "c-1"},
        express={"shipping_mode": "shipping_required", "customer_types": ["b2c"]},
        merchant_reference="mr-1",
        shipping_option={"id": "bring", "line_id": "ship", "amount": 0},
        kiosk={"id": 4},
    )
    async with client(http, app, account, "write:shopping", client_id="kiosk-4") as writer:
        response = await writer.post(f"/orders/{order['id']}/sessions", json=body)

    assert response.status_code == 200, response.text
    session = response.json()
    assert session["amount"] == 12500
    assert session["created_by"] == "kiosk-4"
    assert session["url"] == f"{checkout_url(app)}/v1/view/{session['id']}"
    assert session["_links"] == [{"href": session["url"], "rel": "session_url"}]
    for field, value in body.items():
        if field != "url":  # the response's `url` is the Checkout URL (decision 26)
            assert session[field] == value, field
    assert session["created_at"].endswith("Z")


async def test_create_changes_the_order(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    events = await api_events(api, order["id"])

    session = await started(api, order["id"], session_body({2: 5000}))

    after = await fetch(api, order["id"])
    assert after["version"] == order["version"] + 1
    assert after["sessions"] == [{k: v for k, v in session.items() if k != "_links"}]
    assert after["payment_status"] == "pending"
    assert after["payment_details"] == details(15000)  # a session moves no money
    now = await api_events(api, order["id"])
    assert len(now) == len(events) + 1
    assert now[-1]["version"] == after["version"]
    assert now[-1]["request"]["method"] == "POST"
    assert now[-1]["request"]["path"].endswith(f"/orders/{order['id']}/sessions")


async def test_list_and_get(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    first = await started(api, order["id"], session_body({1: 10000}))
    second = await started(api, order["id"], session_body({1: 10000, 2: 5000}))
    assert first["id"] != second["id"]
    assert first["url"] != second["url"]

    listing = await api.get(f"/orders/{order['id']}/sessions")
    assert listing.status_code == 200, listing.text
    assert listing.json() == {"sessions": [first, second]}
    for session in (first, second):
        got = await api.get(f"/orders/{order['order_id']}/sessions/{session['id']}")
        assert got.status_code == 200, got.text
        assert got.json() == session


async def test_unknown_session_or_order_is_404(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000,))
    other = await order_with_lines(api, (10000,))
    elsewhere = await started(api, other["id"], session_body())

    for session_id in ("no-such-session", elsewhere["id"]):
        response = await api.get(f"/orders/{order['id']}/sessions/{session_id}")
        assert response.status_code == 404, response.text
        assert error(response)["code"] == "SESSION_NOT_FOUND"
    assert (await start(api, "no-such-order", session_body())).status_code == 404
    assert (await api.get("/orders/no-such-order/sessions")).status_code == 404


BAD_SESSIONS: list[tuple[str, Json]] = [
    ("no items", {"url": {"return_url": "https://x"}, "profile_id": "P"}),
    ("empty items", session_body({})),
    ("no url", {k: v for k, v in session_body().items() if k != "url"}),
    ("url without return_url", session_body(url={"callback_url": "https://x"})),
    ("empty return_url", session_body(url={"return_url": ""})),
    ("no profile_id", {k: v for k, v in session_body().items() if k != "profile_id"}),
    ("empty profile_id", session_body(profile_id="")),
    ("string amount", session_body(items=[{"line_id": 1, "amount": "100"}])),
    ("line twice", session_body(items=op_lines({1: 100}) * 2)),
    ("unknown line", session_body({9: 100})),
    ("wrong sign", session_body({1: -100})),
    ("zero amount", session_body({1: 0})),
]


@pytest.mark.parametrize(("name", "body"), BAD_SESSIONS, ids=[b[0] for b in BAD_SESSIONS])
async def test_bad_session_is_400(api: httpx.AsyncClient, name: str, body: Json) -> None:
    order = await order_with_lines(api, (10000,))

    response = await start(api, order["id"], body)

    assert response.status_code == 400, (name, response.text)
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert await fetch(api, order["id"]) == order


async def test_a_line_amount_beyond_what_is_unpaid_is_409(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000, 5000))
    await created(api, order["id"], "captures", {1: 4000})
    before = await fetch(api, order["id"])

    response = await start(api, order["id"], session_body({1: 6001}))

    assert response.status_code == 409, response.text
    problem = error(response)
    assert problem["code"] == "AMOUNT_EXCEEDS_LIMIT"
    assert (problem["line_id"], problem["remaining"]) == (1, 6000)
    assert "Line 1" in problem["message"]
    assert "6000" in problem["message"]
    assert await fetch(api, order["id"]) == before
    over_net = await start(api, order["id"], session_body({2: 5001}))
    assert over_net.status_code == 409, over_net.text
    assert error(over_net)["remaining"] == 5000
    await started(api, order["id"], session_body({1: 6000, 2: 5000}))
    # sessions reserve nothing: another one for the same lines is fine
    await started(api, order["id"], session_body({1: 6000, 2: 5000}))


async def test_a_reversal_line_takes_a_negative_session_amount(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, -2000))
    response = await start(api, order["id"], session_body({2: -2001}))
    assert response.status_code == 409, response.text
    assert (error(response)["line_id"], error(response)["remaining"]) == (2, 2000)
    wrong_sign = await start(api, order["id"], session_body({2: 2000}))
    assert wrong_sign.status_code == 400, wrong_sign.text
    session = await started(api, order["id"], session_body({1: 10000, 2: -2000}))
    assert session["amount"] == 8000


async def test_a_cancelled_order_takes_no_session(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000,))
    assert (await api.post(f"/orders/{order['id']}/cancel", json={})).status_code == 200
    before = await fetch(api, order["id"])

    response = await start(api, order["id"], session_body())

    assert response.status_code == 409, response.text
    assert error(response)["code"] == "ORDER_CANCELLED"
    assert await fetch(api, order["id"]) == before


async def test_read_only_token_can_read_sessions_but_not_start_one(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    order = await order_with_lines(api, (10000,))
    session = await started(api, order["id"], session_body())
    async with client(http, app, account, "read:shopping") as reader:
        denied = await reader.post(f"/orders/{order['id']}/sessions", json=session_body())
        assert denied.status_code == 403, denied.text
        got = await reader.get(f"/orders/{order['id']}/sessions/{session['id']}")
        assert got.json() == session


async def test_nul_characters_in_a_session_are_400(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000,))
    response = await start(api, order["id"], session_body(merchant_reference="m\x00"))
    assert response.status_code == 400, response.text
