"""The Checkout API subset: sessions, transactions, capture / refund / void, signature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.app import create_app
from shopping.config import Settings
from tests.checkout.support import (
    MASTERCARD,
    checkout_client,
    create_session,
    error,
    pay,
    session_body,
)
from tests.conftest import TEST_SECRET

Json = dict[str, Any]


@pytest.fixture
async def checkout(http: httpx.AsyncClient, app: FastAPI, account: str) -> Any:
    async with checkout_client(app, account) as client:
        yield client


async def paid_transaction(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, **fields: Any
) -> Json:
    created = await create_session(checkout, session_body(**fields))
    params = await pay(http, app, created["id"])
    response = await checkout.get(f"/transactions/{params['transaction_id'][0]}")
    assert response.status_code == 200, response.text
    transaction: Json = response.json()
    return transaction


async def test_create_and_get_a_session(checkout: httpx.AsyncClient, account: str) -> None:
    body = session_body(customer={"email": "kari@example.com"}, metadata={"cart": "c-1"})
    created = await create_session(checkout, body)

    assert created["id"].startswith(f"{account}.")
    assert created["url"] == f"http://testserver/v1/view/{created['id']}"
    session = (await checkout.get(f"/sessions/{created['id']}")).json()
    assert session["order"] == body["order"]
    assert session["url"] == body["url"]
    assert session["customer"] == {"email": "kari@example.com"}
    assert session["metadata"] == {"cart": "c-1", "session:profile_id": "default"}
    assert [e["name"] for e in session["events"]] == ["INITIATED"]
    assert "transaction_id" not in session
    expires = datetime.fromisoformat(session["expires_at"])
    assert expires - datetime.fromisoformat(session["created_at"]) == timedelta(hours=24)


async def test_include_session_and_list(checkout: httpx.AsyncClient) -> None:
    first = await create_session(checkout)
    response = await checkout.post(
        "/sessions-profile",
        params={"include_session": "true"},
        json=session_body(order={**session_body()["order"], "merchant_reference": "mr-2"}),
    )
    second = response.json()
    assert second["session"]["id"] == second["id"]

    listed = (await checkout.get("/sessions")).json()
    assert [s["id"] for s in listed] == [second["id"], first["id"]]
    page = await checkout.get("/sessions", params={"limit": 1, "starting_after": second["id"]})
    assert [s["id"] for s in page.json()] == [first["id"]]
    by_reference = await checkout.get("/sessions", params={"merchant_reference": "mr-2"})
    assert [s["id"] for s in by_reference.json()] == [second["id"]]
    assert (await checkout.get("/sessions", params={"starting_after": "nope"})).status_code == 400


BAD_BODIES: list[tuple[str, Json]] = [
    ("no profile", {k: v for k, v in session_body().items() if k != "profile_id"}),
    ("no return_url", session_body(url={"callback_url": "https://x"})),
    ("no order", {k: v for k, v in session_body().items() if k != "order"}),
    ("bad currency", session_body(order={**session_body()["order"], "currency": "nok"})),
    ("string amount", session_body(order={**session_body()["order"], "amount": "100"})),
    ("items do not sum", session_body(order={**session_body()["order"], "amount": 1})),
    ("expired", session_body(expires_at="2020-01-01T00:00:00Z")),
    ("script return_url", session_body(url={"return_url": "javascript:alert(1)"})),
    ("relative callback_url", session_body(url={"return_url": "https://x", "callback_url": "/cb"})),
]


@pytest.mark.parametrize(("name", "body"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
async def test_bad_session_is_400(checkout: httpx.AsyncClient, name: str, body: Json) -> None:
    response = await checkout.post("/sessions-profile", json=body)
    assert response.status_code == 400, (name, response.text)
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert (await checkout.get("/sessions")).json() == []


async def test_scopes(http: httpx.AsyncClient, app: FastAPI, account: str) -> None:
    async with checkout_client(app, account, "read:checkout") as reader:
        assert (await reader.post("/sessions-profile", json=session_body())).status_code == 403
        assert (await reader.get("/sessions")).status_code == 200
        assert (await reader.post("/admin/signature")).status_code == 403
    async with checkout_client(app, account, "write:checkout") as writer:
        created = await create_session(writer)
        assert (await writer.get(f"/sessions/{created['id']}")).status_code == 403
    async with checkout_client(app, account, "admin:shopping") as shop:
        assert (await shop.get("/sessions")).status_code == 403
    async with checkout_client(app, "T00000001", "admin:checkout") as other:
        other.base_url = httpx.URL(f"http://testserver/v1/accounts/{account}/checkout/")
        assert (await other.get("/sessions")).status_code == 403
    anonymous = await http.get(f"/v1/accounts/{account}/checkout/sessions")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"


async def test_create_is_idempotent(checkout: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "create-1"}
    first = await checkout.post("/sessions-profile", json=session_body(), headers=key)
    again = await checkout.post("/sessions-profile", json=session_body(), headers=key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len((await checkout.get("/sessions")).json()) == 1
    other = await checkout.post("/sessions-profile", json=session_body(4000), headers=key)
    assert other.status_code == 422, other.text


async def test_unknown_ids_are_404(checkout: httpx.AsyncClient, account: str) -> None:
    for path in (f"/sessions/{account}.nope", f"/transactions/{account}.nope"):
        response = await checkout.get(path)
        assert response.status_code == 404, response.text
    assert (await checkout.post(f"/transactions/{account}.x/void")).status_code == 404
    assert (await checkout.get("/admin/signature")).status_code == 404


async def test_paying_makes_an_authorized_transaction(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    created = await create_session(checkout)
    params = await pay(http, app, created["id"], MASTERCARD)

    transaction_id = params["transaction_id"][0]
    assert params["merchant_reference"] == ["mr-1"]
    assert params["session_id"] == [created["id"]]
    assert params["gateway"] == ["dintero"]
    assert "error" not in params
    transaction = (await checkout.get(f"/transactions/{transaction_id}")).json()
    assert transaction["status"] == "AUTHORIZED"
    assert transaction["amount"] == 12500
    assert transaction["card"]["brand"] == "MasterCard"
    assert transaction["card"]["masked_pan"] == "520000******0007"
    assert transaction["payment_product_type"] == "dintero_psp.creditcard"
    assert transaction["session_id"] == created["id"]
    assert "shopping_order_id" not in transaction
    session = (await checkout.get(f"/sessions/{created['id']}")).json()
    assert session["transaction_id"] == transaction_id
    assert [e["name"] for e in session["events"]] == ["INITIATED", "AUTHORIZED"]


async def test_capture_refund_void_follow_the_ledger(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    transaction = await paid_transaction(checkout, http, app)
    tid = transaction["id"]

    over = await checkout.post(f"/transactions/{tid}/capture", json={"amount": 12501})
    assert over.status_code == 409, over.text
    assert error(over)["code"] == "AMOUNT_EXCEEDS_LIMIT"
    refund_first = await checkout.post(f"/transactions/{tid}/refund", json={"amount": 100})
    assert refund_first.status_code == 409
    assert error(refund_first)["code"] == "TRANSACTION_STATE_CONFLICT"

    part = await checkout.post(
        f"/transactions/{tid}/capture",
        json={"amount": 2500, "items": [{"line_id": "2", "amount": 2500}]},
    )
    assert part.status_code == 200, part.text
    assert part.json()["status"] == "PARTIALLY_CAPTURED"
    line_over = await checkout.post(
        f"/transactions/{tid}/capture",
        json={"amount": 1, "items": [{"line_id": "2", "amount": 1}]},
    )
    assert line_over.status_code == 409, line_over.text
    assert error(line_over)["remaining"] == 0
    unknown = await checkout.post(
        f"/transactions/{tid}/capture", json={"amount": 1, "items": [{"line_id": "9", "amount": 1}]}
    )
    assert unknown.status_code == 400

    voided = await checkout.post(f"/transactions/{tid}/void")
    assert voided.status_code == 200, voided.text
    assert voided.json()["status"] == "CAPTURED"
    refunded = await checkout.post(f"/transactions/{tid}/refund", json={"amount": 1000})
    assert refunded.json()["status"] == "PARTIALLY_REFUNDED"  # the rest was voided
    too_much = await checkout.post(f"/transactions/{tid}/refund", json={"amount": 1501})
    assert too_much.status_code == 409
    events = (await checkout.get(f"/transactions/{tid}")).json()["events"]
    assert [e["event"] for e in events] == ["AUTHORIZE", "CAPTURE", "VOID", "REFUND"]
    assert events[2]["amount"] == 10000


async def test_full_capture_then_refund(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    tid = (await paid_transaction(checkout, http, app))["id"]
    captured = await checkout.post(f"/transactions/{tid}/capture", json={"amount": 12500})
    assert captured.json()["status"] == "CAPTURED"
    assert (await checkout.post(f"/transactions/{tid}/void")).status_code == 409
    partly = await checkout.post(f"/transactions/{tid}/refund", json={"amount": 5000})
    assert partly.json()["status"] == "PARTIALLY_REFUNDED"
    rest = await checkout.post(f"/transactions/{tid}/refund", json={"amount": 7500})
    assert rest.json()["status"] == "REFUNDED"
    refund_lines = rest.json()["events"][-1]["items"]
    assert sum(line["amount"] for line in refund_lines) == 7500


async def test_void_an_authorization(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    tid = (await paid_transaction(checkout, http, app))["id"]
    voided = await checkout.post(f"/transactions/{tid}/void")
    assert voided.json()["status"] == "AUTHORIZATION_VOIDED"
    again = await checkout.post(f"/transactions/{tid}/void")
    assert again.status_code == 409
    capture = await checkout.post(f"/transactions/{tid}/capture", json={"amount": 1})
    assert capture.status_code == 409


async def test_operations_are_idempotent(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    tid = (await paid_transaction(checkout, http, app))["id"]
    key = {"Idempotency-Key": "cap-1"}
    first = await checkout.post(f"/transactions/{tid}/capture", json={"amount": 100}, headers=key)
    again = await checkout.post(f"/transactions/{tid}/capture", json={"amount": 100}, headers=key)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    events = (await checkout.get(f"/transactions/{tid}")).json()["events"]
    assert [e["event"] for e in events] == ["AUTHORIZE", "CAPTURE"]
    for path, body in (("refund", {"amount": 50}), ("void", None)):
        headers = {"Idempotency-Key": f"{path}-1"}
        one = await checkout.post(f"/transactions/{tid}/{path}", json=body, headers=headers)
        two = await checkout.post(f"/transactions/{tid}/{path}", json=body, headers=headers)
        assert one.status_code == 200, one.text
        assert two.json() == one.json()
    events = (await checkout.get(f"/transactions/{tid}")).json()["events"]
    assert [e["event"] for e in events] == ["AUTHORIZE", "CAPTURE", "REFUND", "VOID"]


async def test_bad_operation_bodies_are_400(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    tid = (await paid_transaction(checkout, http, app))["id"]
    for body in (
        {},
        {"amount": 0},
        {"amount": "5"},
        {"amount": 10, "items": [{"line_id": "1", "amount": 5}]},
    ):
        response = await checkout.post(f"/transactions/{tid}/capture", json=body)
        assert response.status_code == 400, (body, response.text)
        assert error(response)["code"] == "VALIDATION_ERROR"


async def test_list_transactions_with_filters(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    visa = await paid_transaction(
        checkout,
        http,
        app,
        customer={"customer_id": "c-7"},
        order={**session_body()["order"], "merchant_reference_2": "ref-2"},
    )
    created = await create_session(
        checkout, session_body(order={**session_body(4000)["order"], "merchant_reference": "mr-mc"})
    )
    mc_id = (await pay(http, app, created["id"], MASTERCARD))["transaction_id"][0]

    async def ids(**params: Any) -> list[str]:
        response = await checkout.get("/transactions", params=params)
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()]

    assert await ids() == [mc_id, visa["id"]]
    assert await ids(card_brand="Visa") == [visa["id"]]
    assert await ids(merchant_reference="mr-mc") == [mc_id]
    assert await ids(merchant_reference_2="ref-2") == [visa["id"]]
    assert await ids(customer_id="c-7") == [visa["id"]]
    assert await ids(**{"amount.gte": 5000}) == [visa["id"]]
    assert await ids(**{"amount.lte": 5000}) == [mc_id]
    assert await ids(amount=4000) == [mc_id]
    assert await ids(**{"session_id[]": created["id"]}) == [mc_id]
    assert await ids(**{"id[]": visa["id"]}) == [visa["id"]]
    assert await ids(status="AUTHORIZED", limit=1) == [mc_id]
    assert await ids(starting_after=mc_id) == [visa["id"]]
    today = datetime.now(UTC).date().isoformat()
    assert await ids(**{"created_at.gte": today}) == [mc_id, visa["id"]]
    bad = await checkout.get("/transactions", params={"status": "PAID"})
    assert bad.status_code == 400
    assert error(bad)["code"] == "VALIDATION_ERROR"
    assert (await checkout.get("/transactions", params={"limit": 0})).status_code == 400


async def test_cancel_a_session(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    created = await create_session(checkout)
    cancelled = await checkout.post(f"/sessions/{created['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancelled_at"]
    again = await checkout.post(f"/sessions/{created['id']}/cancel")
    assert again.status_code == 409
    paying = await http.get(f"/v1/view/{created['id']}")
    assert paying.status_code == 410
    assert "cancelled" in paying.text


async def test_cancelling_a_paid_session_voids_it(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    transaction = await paid_transaction(checkout, http, app)
    cancelled = await checkout.post(f"/sessions/{transaction['session_id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    after = (await checkout.get(f"/transactions/{transaction['id']}")).json()
    assert after["status"] == "AUTHORIZATION_VOIDED"

    captured = await paid_transaction(checkout, http, app)
    await checkout.post(f"/transactions/{captured['id']}/capture", json={"amount": 12500})
    refused = await checkout.post(f"/sessions/{captured['session_id']}/cancel")
    assert refused.status_code == 409
    assert error(refused)["code"] == "SESSION_NOT_CANCELLABLE"


async def test_signature_secret(checkout: httpx.AsyncClient) -> None:
    created = await checkout.post("/admin/signature")
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["signature"]["type"] == "v0-hmac-sha256"
    assert len(body["signature"]["secret"]) == 64
    assert (await checkout.get("/admin/signature")).json() == body
    replaced = (await checkout.post("/admin/signature")).json()
    assert replaced["signature"]["secret"] != body["signature"]["secret"]


@pytest.mark.parametrize(
    ("settings", "base"),
    [
        ({"checkout_url": "https://pay.example/"}, "https://pay.example"),
        ({"public_url": "https://shop-api.example"}, "https://shop-api.example"),
    ],
)
async def test_page_links_follow_the_settings(
    database_url: str, account: str, settings: Json, base: str
) -> None:
    app = create_app(Settings(database_url=database_url, jwt_secret=TEST_SECRET, **settings))
    try:
        async with checkout_client(app, account) as checkout:
            created = await create_session(checkout)
    finally:
        await app.state.db.dispose()
    assert created["url"] == f"{base}/v1/view/{created['id']}"
