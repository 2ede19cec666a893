"""Every write endpoint, fed what a hostile or careless client sends, answers 4xx in the
Dintero envelope and changes nothing: no version, `updated_at`, line, event or webhook.

The endpoints come from `app.routes`: a new write route without a probe here fails
`test_every_write_route_is_probed`. Each probe builds a valid body with `PROBE` where a free-form
value goes (metadata, unknown keys, `express`, `cancelled_reason` …), sends it once per hostile
value and checks the strict-JSON refusal names that place. Last, the same body with a harmless
value must succeed, so the refusals are the hostile value's doing and nothing else's.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING
from tests.checkout.support import pay, session_body
from tests.conftest import bearer
from tests.support.discounts import rule_body
from tests.support.drafts import discount, draft_body, item
from tests.support.outbox import outbox_count
from tests.support.payments import created, op_lines, order_with_lines
from tests.support.routes import api_routes

Json = dict[str, Any]
#: whole bodies that must be refused: name → (raw body, query parameters)
Cases = dict[str, tuple[bytes, dict[str, str]]]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ACCOUNT_PREFIX = "/v1/accounts/{aid}"
PROBE = "@PROBE@"
HARMLESS = b'"harmless"'

#: the probe's inputs, as raw JSON values
HOSTILE: dict[str, bytes] = {
    "int-2^64": b"18446744073709551616",
    "int-10^30": b"1000000000000000000000000000000",
    "int-below-int64": b"-9223372036854775809",
    "lone-surrogate-escape": b'"\\ud800"',
    "lone-surrogate-bytes": b'"\xed\xa0\x80"',
    "invalid-utf8": b'"\xff"',
    "NaN": b"NaN",
    "Infinity": b"Infinity",
    "-Infinity": b"-Infinity",
    "1e400": b"1e400",
    "duplicate-keys": b'{"k": 1, "k": 2}',
}

#: bodies the framework cannot decode at all: a route with a body refuses them itself
UNREADABLE = frozenset({"invalid-utf8"})

SCOPES = (ADMIN_SHOPPING, "admin:discounts", "admin:billing", "admin:hooks", "admin:checkout")
ROOT = "http://testserver"
HOOK_URL = "https://8.8.8.8/hooks/shopping"


@dataclass
class Target:
    """One endpoint, ready to be probed."""

    url: str
    #: a valid body with PROBE where the hostile value goes
    body: Json
    #: where the strict-JSON check must say the problem is (None: a route outside it)
    probe_path: str | None
    #: GETs whose answers must not change
    reads: tuple[str, ...]
    #: the endpoint's own bad bodies, refused as well
    extra: Cases = field(default_factory=dict)
    #: whether the body with a harmless value must succeed
    control: bool = True

    def raw(self, value: bytes) -> bytes:
        return json.dumps(self.body).encode().replace(json.dumps(PROBE).encode(), value)


@dataclass
class Probe:
    app: FastAPI
    account: str
    #: the account's API (`/v1/accounts/{aid}`) and its Shopping API, for the factories
    client: httpx.AsyncClient
    shopping: httpx.AsyncClient

    async def ok(self, method: str, url: str, body: Json | None = None) -> Json:
        response = await self.client.request(method, url, json=body)
        assert response.status_code < 300, f"{method} {url}: {response.text}"
        return response.json() if response.content else {}

    async def snapshot(self, target: Target) -> list[Any]:
        answers: list[Any] = [await outbox_count(self.app, self.account)]
        for url in target.reads:
            response = await self.client.get(url)
            answers.append((url, response.status_code, response.json()))
        return answers


Setup = Callable[[Probe], Awaitable[Target]]
PROBES: dict[tuple[str, str], Setup] = {}


def probes(method: str, path: str) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        PROBES[(method, path)] = setup
        return setup

    return register


# ---- what each endpoint is fed ----------------------------------------------------------------


def draft_cases(base: Json) -> Cases:
    """The probe's draft-specific inputs, on a create/update body."""

    def with_items(items: Any) -> bytes:
        body = json.loads(json.dumps(base))
        body["order"]["items"] = items
        return json.dumps(body).encode()

    taxed = item(tax_lines=[{"percentage": 1e308, "included_in_price": False}])
    huge = item(tax_lines=[{"percentage": 1e20, "included_in_price": False}])
    duplicate = json.dumps(base).replace(
        '"gross_amount": 10000', '"gross_amount": "abc", "gross_amount": 100'
    )
    return {
        "items-null": (with_items(None), {}),
        "tax-1e308": (with_items([taxed]), {"apply_discounts": "true"}),
        "tax-1e20": (with_items([huge]), {"apply_discounts": "true"}),
        "discount-over-gross": (with_items([item(gross=100, discounts=[discount(101)])]), {}),
        "currency-QQQ": (
            json.dumps({**base, "order": {**base["order"], "currency": "QQQ"}}).encode(),
            {},
        ),
        "duplicate-gross_amount": (duplicate.encode(), {}),
    }


def item_cases() -> Cases:
    """The probe's item-specific inputs, on an add/replace item body."""
    return {
        "tax-1e308": (
            json.dumps(
                item(tax_lines=[{"percentage": 1e308, "included_in_price": False}])
            ).encode(),
            {"apply_discounts": "true"},
        ),
        "discount-over-gross": (
            json.dumps(item(gross=100, discounts=[discount(101)])).encode(),
            {},
        ),
        "duplicate-gross_amount": (
            b'{"gross_amount": "abc", "gross_amount": 100, "tax_lines": [{"percentage": 25}]}',
            {},
        ),
        "original-currency-QQQ": (json.dumps(item(original_currency="QQQ")).encode(), {}),
    }


@probes("POST", "/shopping/draft_orders")
async def create_draft_probe(probe: Probe) -> Target:
    body = draft_body(item(line_id=1, metadata={"probe": PROBE}))
    return Target(
        "/shopping/draft_orders",
        body,
        "order.items[0].metadata.probe",
        ("/shopping/draft_orders",),
        extra=draft_cases(body),
    )


@probes("PUT", "/shopping/draft_orders/{id}")
async def update_draft_probe(probe: Probe) -> Target:
    draft = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    url = f"/shopping/draft_orders/{draft['id']}"
    body = draft_body(item(line_id=1), metadata={"probe": PROBE})
    return Target(url, body, "order.metadata.probe", (url,), extra=draft_cases(body))


@probes("POST", "/shopping/draft_orders/{id}/items")
async def add_item_probe(probe: Probe) -> Target:
    draft = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    url = f"/shopping/draft_orders/{draft['id']}"
    return Target(
        f"{url}/items",
        item(metadata={"probe": PROBE}),
        "metadata.probe",
        (url,),
        extra=item_cases(),
    )


@probes("PUT", "/shopping/draft_orders/{id}/items/{line_id}")
async def replace_item_probe(probe: Probe) -> Target:
    draft = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    url = f"/shopping/draft_orders/{draft['id']}"
    return Target(
        f"{url}/items/1",
        item(metadata={"probe": PROBE}),
        "metadata.probe",
        (url,),
        extra=item_cases(),
    )


@probes("DELETE", "/shopping/draft_orders/{id}/items/{line_id}")
async def delete_item_probe(probe: Probe) -> Target:
    draft = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    url = f"/shopping/draft_orders/{draft['id']}"
    return Target(f"{url}/items/1", {"probe": PROBE}, "probe", (url,))


@probes("PUT", "/shopping/draft_orders/{id}/complete")
async def complete_probe(probe: Probe) -> Target:
    draft = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    url = f"/shopping/draft_orders/{draft['id']}"
    return Target(f"{url}/complete", {"probe": PROBE}, "probe", (url, "/shopping/orders"))


async def an_order(probe: Probe) -> tuple[str, str]:
    """An order with line 1 (10000) authorized in full and 5000 of it captured, and line 2
    (5000) not yet authorized; its URL and the URL that reads it with its events."""
    order = await order_with_lines(probe.shopping, (10000, 5000))
    await created(probe.shopping, order["id"], "authorizations", {1: 10000})
    await probe.ok(
        "POST", f"/shopping/orders/{order['id']}/captures", {"items": op_lines({1: 5000})}
    )
    await probe.ok("POST", f"/shopping/orders/{order['id']}/comments", {"body": "kept"})
    url = f"/shopping/orders/{order['id']}"
    return url, f"{url}?include_events=true"


def order_update_cases() -> Cases:
    return {
        "discount-over-gross": (
            b'{"items": [{"line_id": 1, "discount_lines": [{"amount": 10001}]}]}',
            {},
        ),
        "original-currency-QQQ": (b'{"items": [{"line_id": 1, "original_currency": "QQQ"}]}', {}),
        "duplicate-comment": (b'{"comment": 1, "comment": "x"}', {}),
    }


@probes("POST", "/shopping/orders")
async def import_order_probe(probe: Probe) -> Target:
    body = {"currency": "NOK", "items": [item()], "metadata": {"probe": PROBE}}
    return Target("/shopping/orders", body, "metadata.probe", ("/shopping/orders",))


@probes("PUT", "/shopping/orders/{order_id}")
async def update_order_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    return Target(
        url, {"metadata": {"probe": PROBE}}, "metadata.probe", (read,), extra=order_update_cases()
    )


@probes("POST", "/shopping/orders/{order_id}/cancel")
async def cancel_order_probe(probe: Probe) -> Target:
    order = await probe.ok("POST", "/shopping/draft_orders", draft_body(item(line_id=1)))
    completed = await probe.ok("PUT", f"/shopping/draft_orders/{order['id']}/complete", {})
    url = f"/shopping/orders/{completed['orders'][0]['id']}"
    body = {"cancelled_reason": {"probe": PROBE}}
    return Target(f"{url}/cancel", body, "cancelled_reason.probe", (f"{url}?include_events=true",))


@probes("POST", "/shopping/orders/{order_id}/close")
async def close_order_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    return Target(f"{url}/close", {"probe": PROBE}, "probe", (read,))


@probes("POST", "/shopping/orders/{order_id}/open")
async def open_order_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    await probe.ok("POST", f"{url}/close")
    return Target(f"{url}/open", {"probe": PROBE}, "probe", (read,))


def operation_probe(kind: str, line_id: int) -> Setup:
    async def setup(probe: Probe) -> Target:
        url, read = await an_order(probe)
        body = {"items": op_lines({line_id: 100}), "metadata": {"probe": PROBE}}
        return Target(f"{url}/{kind}", body, "metadata.probe", (read,))

    return setup


for kind, line_id in (("authorizations", 2), ("captures", 1), ("refunds", 1), ("cancellations", 1)):
    probes("POST", f"/shopping/orders/{{order_id}}/{kind}")(operation_probe(kind, line_id))


@probes("POST", "/shopping/orders/{order_id}/comments")
async def comment_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    return Target(f"{url}/comments", {"body": PROBE}, "body", (read,))


@probes("DELETE", "/shopping/orders/{order_id}/comments/{comment_id}")
async def delete_comment_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    commented = await probe.ok("POST", f"{url}/comments", {"body": "to delete"})
    [comment] = [c for c in commented["comments"] if c["body"] == "to delete"]
    return Target(f"{url}/comments/{comment['id']}", {"probe": PROBE}, "probe", (read,))


@probes("POST", "/shopping/orders/{order_id}/events")
async def event_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    body = {"service": "wms", "service_status": "picked", "metadata": {"probe": PROBE}}
    return Target(f"{url}/events", body, "metadata.probe", (read,))


@probes("POST", "/shopping/orders/{order_id}/sessions")
async def session_probe(probe: Probe) -> Target:
    url, read = await an_order(probe)
    body = {
        "items": op_lines({1: 100}),
        "url": {"return_url": "https://shop.example/return"},
        "profile_id": "P-checkout",
        "express": {"probe": PROBE},
    }
    return Target(f"{url}/sessions", body, "express.probe", (read,))


def payout_rule(**fields: Any) -> Json:
    return {
        "rule_type": "order.items.store.id",
        "rule_id": "SL02",
        "destinations": [{"type": "remaining_amount", "destination": "seller"}],
        **fields,
    }


@probes("POST", "/billing/payout-rules")
async def create_rule_probe(probe: Probe) -> Target:
    body = payout_rule(metadata={"probe": PROBE})
    return Target("/billing/payout-rules", body, "metadata.probe", ("/billing/payout-rules",))


@probes("PUT", "/billing/payout-rules/{rule_uuid}")
async def update_rule_probe(probe: Probe) -> Target:
    rule = await probe.ok("POST", "/billing/payout-rules", payout_rule())
    url = f"/billing/payout-rules/{rule['id']}"
    return Target(url, payout_rule(metadata={"probe": PROBE}), "metadata.probe", (url,))


@probes("DELETE", "/billing/payout-rules/{rule_uuid}")
async def delete_rule_probe(probe: Probe) -> Target:
    rule = await probe.ok("POST", "/billing/payout-rules", payout_rule())
    url = f"/billing/payout-rules/{rule['id']}"
    return Target(url, {"probe": PROBE}, "probe", (url, "/billing/payout-rules"))


def discount_rule(**fields: Any) -> Json:
    return rule_body(**fields)


async def a_discount_rule(probe: Probe) -> str:
    created = await probe.ok("POST", "/discounts/rules", discount_rule())
    return f"/discounts/rules/{created['id']}"


@probes("POST", "/discounts/rules")
async def create_discount_rule_probe(probe: Probe) -> Target:
    body = discount_rule(metadata={"probe": PROBE})
    return Target("/discounts/rules", body, "metadata.probe", ("/discounts/rules",))


@probes("PUT", "/discounts/rules/{rule_id}")
async def update_discount_rule_probe(probe: Probe) -> Target:
    url = await a_discount_rule(probe)
    return Target(url, discount_rule(metadata={"probe": PROBE}), "metadata.probe", (url,))


@probes("DELETE", "/discounts/rules/{rule_id}")
async def delete_discount_rule_probe(probe: Probe) -> Target:
    url = await a_discount_rule(probe)
    return Target(url, {"probe": PROBE}, "probe", (url, "/discounts/rules"))


@probes("POST", "/discounts/rules/{rule_id}/customers")
async def give_discount_rule_probe(probe: Probe) -> Target:
    url = await a_discount_rule(probe)
    # the body's model takes no other keys: only the strict-JSON refusal is checked
    body = {"customers": ["c-1"], "probe": PROBE}
    return Target(f"{url}/customers", body, "probe", (url, f"{url}/customers"), control=False)


@probes("POST", "/discounts/available_for_receipt")
async def receipt_probe(probe: Probe) -> Target:
    body = {"currency": "NOK", "items": [{"line_id": 1, "gross_amount": 1000, "probe": PROBE}]}
    return Target("/discounts/available_for_receipt", body, "items[0].probe", ())


async def a_checkout_session(probe: Probe) -> str:
    created = await probe.ok("POST", "/checkout/sessions-profile", session_body())
    return str(created["id"])


async def a_paid_transaction(probe: Probe) -> str:
    session_id = await a_checkout_session(probe)
    root = httpx.AsyncClient(transport=httpx.ASGITransport(app=probe.app), base_url=ROOT)
    async with root:
        return (await pay(root, probe.app, session_id))["transaction_id"][0]


@probes("POST", "/checkout/sessions-profile")
async def checkout_session_probe(probe: Probe) -> Target:
    body = session_body(metadata={"probe": PROBE})
    return Target("/checkout/sessions-profile", body, "metadata.probe", ("/checkout/sessions",))


@probes("POST", "/checkout/sessions/{session_id}/cancel")
async def checkout_cancel_probe(probe: Probe) -> Target:
    url = f"/checkout/sessions/{await a_checkout_session(probe)}"
    return Target(f"{url}/cancel", {"probe": PROBE}, "probe", (url,))


@probes("POST", "/checkout/transactions/{transaction_id}/capture")
async def checkout_capture_probe(probe: Probe) -> Target:
    url = f"/checkout/transactions/{await a_paid_transaction(probe)}"
    return Target(f"{url}/capture", {"amount": 100, "probe": PROBE}, "probe", (url,))


@probes("POST", "/checkout/transactions/{transaction_id}/refund")
async def checkout_refund_probe(probe: Probe) -> Target:
    url = f"/checkout/transactions/{await a_paid_transaction(probe)}"
    await probe.ok("POST", f"{url}/capture", {"amount": 1000})
    return Target(f"{url}/refund", {"amount": 100, "probe": PROBE}, "probe", (url,))


@probes("POST", "/checkout/transactions/{transaction_id}/void")
async def checkout_void_probe(probe: Probe) -> Target:
    url = f"/checkout/transactions/{await a_paid_transaction(probe)}"
    return Target(f"{url}/void", {"probe": PROBE}, "probe", (url,))


@probes("POST", "/checkout/admin/signature")
async def checkout_signature_probe(probe: Probe) -> Target:
    return Target("/checkout/admin/signature", {"probe": PROBE}, "probe", ())


def subscription(**fields: Any) -> Json:
    # inactive: nothing is ever sent to the address
    return {
        "config": {"url": HOOK_URL},
        "events": ["shopping_order_update"],
        "active": False,
        **fields,
    }


async def a_subscription(probe: Probe) -> str:
    created = await probe.ok("POST", "/hooks/subscriptions", subscription())
    return f"/hooks/subscriptions/{created['id']}"


@probes("POST", "/hooks/subscriptions")
async def create_subscription_probe(probe: Probe) -> Target:
    return Target(
        "/hooks/subscriptions", subscription(probe=PROBE), "probe", ("/hooks/subscriptions",)
    )


@probes("PUT", "/hooks/subscriptions/{hid}")
async def update_subscription_probe(probe: Probe) -> Target:
    url = await a_subscription(probe)
    return Target(url, subscription(extra={"probe": PROBE}), "extra.probe", (url,))


@probes("DELETE", "/hooks/subscriptions/{hid}")
async def delete_subscription_probe(probe: Probe) -> Target:
    url = await a_subscription(probe)
    return Target(url, {"probe": PROBE}, "probe", (url, "/hooks/subscriptions"))


@probes("POST", "/hooks/subscriptions/{hid}/ping")
async def ping_probe(probe: Probe) -> Target:
    url = await a_subscription(probe)
    return Target(f"{url}/ping", {"probe": PROBE}, "probe", (url, f"{url}/deliveries"))


@probes("POST", "/hooks/subscriptions/{hid}/deliveries/{delivery_id}/redeliver")
async def redeliver_probe(probe: Probe) -> Target:
    url = await a_subscription(probe)
    delivery = (await probe.client.get(f"{url}/deliveries")).json()[0]  # its creation's ping
    redeliver = f"{url}/deliveries/{delivery['id']}/redeliver"
    return Target(redeliver, {"probe": PROBE}, "probe", (url, f"{url}/deliveries"))


@probes("POST", "/auth/token")
async def token_probe(probe: Probe) -> Target:
    # no bearer token and nothing stored: refused by its own strict model (no extra keys)
    body = {"grant_type": "client_credentials", "probe": PROBE}
    return Target("/auth/token", body, None, (), control=False)


# ---- the checks ---------------------------------------------------------------------------------


@pytest.fixture
async def probe(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> AsyncIterator[Probe]:
    base, headers = f"http://testserver/v1/accounts/{account}", bearer(app, account, *SCOPES)
    async with (
        httpx.AsyncClient(transport=transport, base_url=base, headers=headers) as client,
        httpx.AsyncClient(
            transport=transport, base_url=f"{base}/shopping", headers=headers
        ) as shopping,
    ):
        yield Probe(app, account, client, shopping)


def write_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, route.path.removeprefix(ACCOUNT_PREFIX))
        for route in api_routes(app)
        if route.path.startswith(ACCOUNT_PREFIX)  # the JSON API; pages take forms
        for method in (route.methods or set()) & WRITE_METHODS
    }


def test_every_write_route_is_probed(app: FastAPI) -> None:
    unprobed = sorted(write_routes(app) - PROBES.keys())
    assert not unprobed, f"write routes without a hostile-input probe: {unprobed}"
    assert not PROBES.keys() - write_routes(app), "probes of routes that do not exist"


def refusal(response: httpx.Response) -> Json:
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: Json = body["error"]
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


@pytest.mark.parametrize("route", sorted(PROBES), ids=" ".join)
async def test_hostile_inputs_are_refused_and_change_nothing(
    probe: Probe, route: tuple[str, str]
) -> None:
    method = route[0]
    target = await PROBES[route](probe)
    before = await probe.snapshot(target)

    async def send(raw: bytes, params: dict[str, str] | None = None) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return await probe.client.request(
            method, target.url, content=raw, params=params, headers=headers
        )

    for name, value in HOSTILE.items():
        response = await send(target.raw(value))
        error = refusal(response)
        if target.probe_path is not None:
            assert response.status_code == 400, (name, response.text)
            paths = [e["path"] for e in error.get("errors", ())]
            if not (name in UNREADABLE and not paths):
                # (a route that reads a body refuses an undecodable one before anything else)
                suffix = ".k" if name == "duplicate-keys" else ""
                assert paths == [target.probe_path + suffix], (name, response.text)
        assert await probe.snapshot(target) == before, f"{name} changed something"

    for name, (raw, params) in target.extra.items():
        response = await send(raw, params)
        refusal(response)
        assert response.status_code == 400, (name, response.text)
        assert await probe.snapshot(target) == before, f"{name} changed something"

    if target.control:
        response = await send(target.raw(HARMLESS))
        assert response.status_code < 300, response.text
