"""`callback_url`: queued with the payment, sent by the relay, signed, retried, logged."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi import FastAPI

from shopping.checkout.signature import dintero_signature, signed_text
from shopping.webhooks.relay import Relay
from shopping.webhooks.relay_config import RelayConfig
from shopping.webhooks.targets import TargetPolicy
from tests.checkout.support import (
    DECLINED_CARD,
    checkout_client,
    create_session,
    pay,
    session_body,
)
from tests.support.payments import fetch, order_with_lines

Json = dict[str, Any]
SHOP = "shop.example"
#: where the shop's host name points (a public address; the mock transport answers for it)
SHOP_ADDRESS = ipaddress.ip_address("93.184.216.34")


async def shop_resolver(
    host: str, port: int
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    return [SHOP_ADDRESS]


def as_sent(request: httpx.Request) -> httpx.URL:
    """The URL the shop was called on: the relay connects to the checked address and names the
    host in the Host header."""
    return request.url.copy_with(host=request.headers["host"])


def test_signature_matches_the_documented_test_vector() -> None:
    url = "https://example.com/callback?B=123&A=992"
    assert signed_text(1582236537, "P00000000", "GET", url).endswith("/callback\nA=992&B=123")
    assert dintero_signature("123", 1582236537, "P00000000", "GET", url) == (
        "t=1582236537,v0-hmac-sha256="
        "6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a"
    )


@pytest.fixture
async def checkout(http: httpx.AsyncClient, app: FastAPI, account: str) -> Any:
    async with checkout_client(app, account) as client:
        yield client


@asynccontextmanager
async def relay_to(
    app: FastAPI, answer: Callable[[httpx.Request], httpx.Response], allowed: tuple[str, ...]
) -> AsyncIterator[tuple[Relay, list[httpx.Request]]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    state = app.state
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        yield (
            Relay(
                state.db,
                state.clock,
                client,
                TargetPolicy(allowed, resolver=shop_resolver),
                RelayConfig(),
            ),
            seen,
        )


def mine(seen: list[httpx.Request], account: str) -> list[httpx.Request]:
    return [r for r in seen if as_sent(r).host == SHOP and f"/{account}/" in r.url.path]


async def callbacks_of(checkout: httpx.AsyncClient, session_id: str) -> list[Json]:
    response = await checkout.get(f"/sessions/{session_id}/callbacks")
    assert response.status_code == 200, response.text
    found: list[Json] = response.json()["callbacks"]
    return found


def with_callback(account: str, query: str = "") -> Json:
    return session_body(
        url={
            "return_url": "https://shop.example/return",
            "callback_url": f"https://{SHOP}/{account}/cb?key=k1{query}",
        }
    )


async def test_a_signed_get_callback_after_paying(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    secret = (await checkout.post("/admin/signature")).json()["signature"]["secret"]
    created = await create_session(checkout, with_callback(account))
    transaction_id = (await pay(http, app, created["id"]))["transaction_id"][0]

    async with relay_to(app, lambda _: httpx.Response(200), (SHOP,)) as (relay, seen):
        await relay.send_due()
    [request] = mine(seen, account)

    assert request.method == "GET"
    params = parse_qs(request.url.query.decode())
    assert params["key"] == ["k1"]
    assert params["transaction_id"] == [transaction_id]
    assert params["session_id"] == [created["id"]]
    assert params["merchant_reference"] == ["mr-1"]
    assert "time" in params
    header = request.headers["Dintero-Signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    text = signed_text(timestamp, account, "GET", str(as_sent(request)))
    expected = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    assert header == f"t={timestamp},v0-hmac-sha256={expected}"
    assert request.headers["event-delivery"]
    [log] = await callbacks_of(checkout, created["id"])
    assert log["status"] == "delivered"
    assert [a["status_code"] for a in log["attempts"]] == [200]


async def test_post_callbacks_carry_the_transaction(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    query = "&method=POST&sid_parameter_name=sid"
    created = await create_session(checkout, with_callback(account, query))
    transaction_id = (await pay(http, app, created["id"]))["transaction_id"][0]

    async with relay_to(app, lambda _: httpx.Response(204), (SHOP,)) as (relay, seen):
        await relay.send_due()
    [request] = mine(seen, account)

    assert request.method == "POST"
    params = parse_qs(request.url.query.decode())
    assert params["sid"] == [created["id"]]
    assert "session_id" not in params
    assert params["method"] == ["POST"]
    body = httpx.Response(200, content=request.content).json()
    assert body["id"] == transaction_id
    assert body["status"] == "AUTHORIZED"
    assert "Dintero-Signature" not in request.headers  # the account has no secret


async def test_errors_are_reported_only_when_asked(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    silent = await create_session(checkout, with_callback(account))
    await pay(http, app, silent["id"], DECLINED_CARD)
    reported = await create_session(checkout, with_callback(account, "&report_error=true"))
    await pay(http, app, reported["id"], "", "cancel")

    assert await callbacks_of(checkout, silent["id"]) == []
    async with relay_to(app, lambda _: httpx.Response(200), (SHOP,)) as (relay, seen):
        await relay.send_due()
    [request] = mine(seen, account)
    params = parse_qs(request.url.query.decode())
    assert params["error"] == ["cancelled"]
    assert "transaction_id" not in params


async def test_retries_on_5xx_only(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    failing = await create_session(checkout, with_callback(account, "&n=1"))
    refused = await create_session(checkout, with_callback(account, "&n=2"))
    await pay(http, app, failing["id"])
    await pay(http, app, refused["id"])

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503 if "n=1" in str(request.url) else 404)

    async with relay_to(app, answer, (SHOP,)) as (relay, _):
        await relay.send_due()
    [retrying] = await callbacks_of(checkout, failing["id"])
    assert retrying["status"] == "pending"
    assert retrying["next_attempt_at"] is not None
    assert [a["status_code"] for a in retrying["attempts"]] == [503]
    [final] = await callbacks_of(checkout, refused["id"])
    assert final["status"] == "failed"
    assert [a["status_code"] for a in final["attempts"]] == [404]


async def test_delay_and_loopback_rules(
    checkout: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    delayed = await create_session(checkout, with_callback(account, "&delay_callback=600"))
    await pay(http, app, delayed["id"])
    loopback = await create_session(
        checkout,
        session_body(
            url={
                "return_url": "https://shop.example/return",
                "callback_url": f"http://127.0.0.1:9/{account}/cb",
            }
        ),
    )
    await pay(http, app, loopback["id"])

    async with relay_to(app, lambda _: httpx.Response(200), ()) as (relay, seen):
        await relay.send_due()
    assert mine(seen, account) == []
    [waiting] = await callbacks_of(checkout, delayed["id"])
    assert waiting["attempts"] == []  # capped at 60 s, still in the future
    created = waiting["created_at"].replace("Z", "+00:00")
    due = waiting["next_attempt_at"].replace("Z", "+00:00")
    assert (datetime.fromisoformat(due) - datetime.fromisoformat(created)).total_seconds() == 60
    [refused] = await callbacks_of(checkout, loopback["id"])
    assert "TargetRefused" in refused["attempts"][0]["error"]
    assert refused["status"] == "pending"


async def test_a_receiver_down_and_back_gets_the_callback_once(
    api: httpx.AsyncClient,
    checkout: httpx.AsyncClient,
    http: httpx.AsyncClient,
    app: FastAPI,
    account: str,
) -> None:
    order = await order_with_lines(api, (10000,))
    response = await api.post(
        f"/orders/{order['id']}/sessions",
        json={
            "items": [{"line_id": 1, "amount": 10000}],
            "profile_id": "default",
            "url": {
                "return_url": "https://shop.example/return",
                "callback_url": f"https://{SHOP}/{account}/cb",
            },
        },
    )
    session_id = response.json()["id"]
    await pay(http, app, session_id)
    answers = iter((503, 200))

    def answer(request: httpx.Request) -> httpx.Response:
        # other tests' callbacks may be due as well: only this account's see the outage
        return httpx.Response(next(answers) if account in request.url.path else 200)

    async with relay_to(app, answer, (SHOP,)) as (relay, seen):
        await relay.send_due()
        relay.clock = lambda: datetime.now(UTC) + timedelta(hours=1)  # past the backoff
        await relay.send_due()
        await relay.send_due()
    assert len(mine(seen, account)) == 2
    [log] = await callbacks_of(checkout, session_id)
    assert log["status"] == "delivered"
    assert [a["status_code"] for a in log["attempts"]] == [503, 200]
    after = await fetch(api, order["id"])
    assert len(after["authorizations"]) == 1
    assert len((await checkout.get("/transactions")).json()) == 1
