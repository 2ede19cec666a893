"""Paying on the hosted page: transactions, order authorizations, redirects, and every way a
session ends (declined, failed, on hold, cancelled, expired, paid twice)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.checkout.support import (
    DECLINED_CARD,
    THREE_DS_FAILS,
    checkout_client,
    create_session,
    pay,
    session_body,
    submit,
    view_path,
)
from tests.support.orders import list_ids
from tests.support.payments import fetch, order_with_lines

Json = dict[str, Any]


@pytest.fixture
async def checkout(http: httpx.AsyncClient, app: FastAPI, account: str) -> Any:
    async with checkout_client(app, account) as client:
        yield client


async def order_session(api: httpx.AsyncClient, order: Json, **fields: Any) -> Json:
    body = {
        "items": [{"line_id": 1, "amount": 10000}, {"line_id": 2, "amount": 5000}],
        "url": {"return_url": "https://shop.example/return"},
        "profile_id": "default",
        **fields,
    }
    response = await api.post(f"/orders/{order['id']}/sessions", json=body)
    assert response.status_code == 200, response.text
    session: Json = response.json()
    return session


async def test_an_order_session_is_a_checkout_session(
    api: httpx.AsyncClient, checkout: httpx.AsyncClient
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order)

    assert started["url"] == f"http://testserver/v1/view/{started['id']}"
    session = (await checkout.get(f"/sessions/{started['id']}")).json()
    assert session["order"]["merchant_reference"] == order["order_id"]
    assert session["order"]["amount"] == 15000
    assert session["order"]["currency"] == order["currency"]
    assert [i["line_id"] for i in session["order"]["items"]] == ["1", "2"]


async def test_paying_an_order_session_authorizes_the_order(
    api: httpx.AsyncClient, checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order)

    params = await pay(http, app, started["id"])

    transaction_id = params["transaction_id"][0]
    assert params["merchant_reference"] == [order["order_id"]]
    after = await fetch(api, order["id"])
    [authorization] = after["authorizations"]
    assert authorization["processed_by"] == "dintero-checkout"
    assert authorization["authorization_id"] == transaction_id
    assert authorization["amount"] == 15000
    assert authorization["payment_details"] == {
        "psp": "Dintero",
        "payment_id": transaction_id,
        "payment_product": "dintero_psp",
        "payment_product_type": "dintero_psp.creditcard",
        "card": {"masked_pan": "400000******0002", "brand": "Visa", "type": "Credit"},
    }
    assert after["payment_details"]["remaining_capture_amount"] == 15000
    for name, value in (
        ("card_brand", "visa"),
        ("card_number", "0002"),
        ("psp", "dintero"),
        ("payment_product", "dintero_psp"),
    ):
        assert await list_ids(api, **{name: value}) == [order["id"]], name

    captured = await checkout.post(
        f"/transactions/{transaction_id}/capture",
        json={"amount": 5000, "items": [{"line_id": "2", "amount": 5000}]},
    )
    assert captured.status_code == 200, captured.text
    after = await fetch(api, order["id"])
    assert [c["items"] for c in after["captures"]] == [[{"line_id": 2, "amount": 5000}]]
    assert after["payment_status"] == "partially_paid"
    over = await checkout.post(f"/transactions/{transaction_id}/capture", json={"amount": 10001})
    assert over.status_code == 409


async def test_auto_capture_captures_the_order(
    api: httpx.AsyncClient, checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order, configuration={"auto_capture": True})
    params = await pay(http, app, started["id"])
    transaction = (await checkout.get(f"/transactions/{params['transaction_id'][0]}")).json()
    assert transaction["status"] == "CAPTURED"
    after = await fetch(api, order["id"])
    assert after["payment_status"] == "paid"
    assert sum(c["amount"] for c in after["captures"]) == 15000


async def test_paying_twice_changes_nothing(
    api: httpx.AsyncClient, checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order)
    await pay(http, app, started["id"])
    before = await fetch(api, order["id"])

    again = await submit(http, app, started["id"])

    assert again.status_code == 409
    assert "has been processed already" in again.text
    assert await fetch(api, order["id"]) == before
    assert len((await checkout.get("/transactions")).json()) == 1
    page = await http.get(view_path(started["id"]))
    assert page.status_code == 200
    assert "This payment is complete" in page.text


@pytest.mark.parametrize(
    ("action", "card", "status", "error_param"),
    [
        ("pay", DECLINED_CARD, "DECLINED", "failed"),
        ("pay", THREE_DS_FAILS, "FAILED", "authorization"),
        ("decline", "", "DECLINED", "authorization"),
        ("on_hold", "4000 0000 0000 0002", "ON_HOLD", None),
    ],
)
async def test_outcomes_other_than_authorized(
    api: httpx.AsyncClient,
    checkout: httpx.AsyncClient,
    http: httpx.AsyncClient,
    app: FastAPI,
    action: str,
    card: str,
    status: str,
    error_param: str | None,
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order)

    params = await pay(http, app, started["id"], card, action)

    assert params.get("error") == ([error_param] if error_param else None)
    transaction = (await checkout.get(f"/transactions/{params['transaction_id'][0]}")).json()
    assert transaction["status"] == status
    page = await http.get(f"/v1/view/{started['id']}")
    assert {
        "DECLINED": "This payment was declined",
        "FAILED": "This payment failed",
        "ON_HOLD": "This payment is on hold",
    }[status] in page.text
    after = await fetch(api, order["id"])
    assert after.get("authorizations", []) == []
    assert after["version"] == order["version"] + 1  # the session only


async def test_cancel_on_the_page(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    created = await create_session(checkout)
    params = await pay(http, app, created["id"], "", "cancel")
    assert params["error"] == ["cancelled"]
    assert "transaction_id" not in params
    session = (await checkout.get(f"/sessions/{created['id']}")).json()
    assert session["cancelled_by"] == "customer"
    assert (await submit(http, app, created["id"])).status_code == 409


async def test_an_expired_session_cannot_be_paid(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    created = await create_session(checkout, session_body(expires_at=soon))
    await asyncio.sleep(1.1)

    page = await http.get(view_path(created["id"]))
    assert page.status_code == 410
    assert "expired" in page.text
    refused = await submit(http, app, created["id"])
    assert refused.status_code == 409
    assert "has expired" in refused.text
    assert (await checkout.get("/transactions")).json() == []


async def test_the_form_checks_its_input(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    created = await create_session(checkout)
    page = await http.get(view_path(created["id"]))
    assert page.status_code == 200
    token = app.state.checkout_page_security.token(created["id"])
    assert f'name="csrf_token" value="{token}"' in page.text
    assert '<label for="card_number">' in page.text

    forged = await submit(http, app, created["id"], csrf_token="forged")
    assert forged.status_code == 403
    bad = await submit(http, app, created["id"], card="4000 0000 0000 0003", cvc="1")
    assert bad.status_code == 400
    assert "Enter a valid card number." in bad.text
    assert "security code" in bad.text
    unknown = await submit(http, app, created["id"], action="steal")
    assert unknown.status_code == 400
    assert (await checkout.get("/transactions")).json() == []
    missing = await http.get(view_path("T00000000.nope"))
    assert missing.status_code == 404
    assert "not valid" in missing.text


async def test_the_page_escapes_what_it_shows(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient
) -> None:
    body = session_body()
    body["order"]["items"][0]["description"] = "<script>alert(1)</script>"
    created = await create_session(checkout, body)
    page = await http.get(view_path(created["id"]))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    css = await http.get("/v1/checkout-assets/checkout.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


@pytest.mark.postgres_only
async def test_two_presses_at_once_make_one_authorization(
    api: httpx.AsyncClient,
    checkout: httpx.AsyncClient,
    http: httpx.AsyncClient,
    app: FastAPI,
    backend: str,
) -> None:
    if backend != "postgres":
        pytest.skip("row locks: Postgres")
    order = await order_with_lines(api, (10000, 5000))
    started = await order_session(api, order)

    responses = await asyncio.gather(*(submit(http, app, started["id"]) for _ in range(4)))

    assert sorted(r.status_code for r in responses) == [303, 409, 409, 409]
    after = await fetch(api, order["id"])
    assert len(after["authorizations"]) == 1
    assert len((await checkout.get("/transactions")).json()) == 1
