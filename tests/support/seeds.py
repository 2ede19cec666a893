"""Real resources in an account, for tests that aim generated requests at ids that exist.

`seed_for(app, account, path)` creates what an operation's path names (a draft with line 1,
an order with each kind of payment operation, a comment and a payment session, a discount
rule given to a customer, a payout rule, a webhook subscription, a checkout session, a paid
transaction) and returns the values of the path's parameters. Parameters it cannot fill
(a webhook delivery needs the worker) are left out. `credentials_for` is what the operation
takes as `Authorization`: a token holding every scope, or for the token endpoint itself an
API client's HTTP Basic credentials.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from fastapi import FastAPI

from shopping.auth.clients import create_client
from shopping.auth.scopes import KNOWN_SCOPES
from tests.checkout.support import pay, session_body
from tests.conftest import bearer
from tests.support.discounts import rule_body
from tests.support.drafts import create_draft, draft_body, item
from tests.support.payments import created, op_lines, order_with_lines

Json = dict[str, Any]
ROOT = "http://testserver"
CUSTOMER = "cust-1"  # the customer of the factories' drafts
STORE = "SL02"  # the store of their items


async def seed_for(app: FastAPI, account: str, path: str) -> dict[str, str]:
    """Values for `path`'s parameters (an operation's template), each naming a resource
    created in `account` for it."""
    root = f"{ROOT}/v1/accounts/{account}"
    headers = bearer(app, account, *KNOWN_SCOPES)
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url=root, headers=headers) as client,
        httpx.AsyncClient(
            transport=transport, base_url=f"{root}/shopping", headers=headers
        ) as shopping,
    ):
        seeds = Seeds(app, client, shopping)
        if "/draft_orders/{id}" in path:
            return await seeds.draft()
        if "{order_id}" in path:
            return await seeds.order(path)
        if "/discounts/" in path:
            return await seeds.discount_rule()
        if "{rule_uuid}" in path:
            return {"rule_uuid": (await seeds.created("/billing/payout-rules", PAYOUT_RULE))["id"]}
        if "{hid}" in path:
            return {"hid": (await seeds.created("/hooks/subscriptions", SUBSCRIPTION))["id"]}
        if "{session_id}" in path:
            return {"session_id": await seeds.checkout_session()}
        if "{transaction_id}" in path:
            return {"transaction_id": await seeds.paid_transaction()}
        return {"customer_id": CUSTOMER, "store_id": STORE}


async def credentials_for(app: FastAPI, account: str, path: str) -> dict[str, str]:
    if not path.endswith("/auth/token"):
        return bearer(app, account, *KNOWN_SCOPES)
    async with app.state.db.write() as uow:
        client = await create_client(uow, account, sorted(KNOWN_SCOPES), "every scope")
    pair = f"{client.client_id}:{client.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


PAYOUT_RULE: Json = {
    "rule_type": "order.items.store.id",
    "rule_id": STORE,
    "destinations": [{"type": "remaining_amount", "destination": "seller"}],
}
SUBSCRIPTION: Json = {  # inactive: nothing is ever sent to the address
    "config": {"url": "https://8.8.8.8/hooks/shopping"},
    "events": ["shopping_order_update"],
    "active": False,
}
#: the order's payment operations, in an order the payment rules allow: line → amount
OPERATIONS: dict[str, dict[int, int]] = {
    "authorizations": {1: 10000},
    "captures": {1: 5000},
    "refunds": {1: 1000},
    "cancellations": {1: 5000},
}
ORDER_SESSION: Json = {
    "items": op_lines({1: 1000}),
    "url": {"return_url": "https://shop.example/return"},
    "profile_id": "P-checkout",
}


class Seeds:
    """Factories for one account: `client` is its API root, `shopping` its Shopping API."""

    def __init__(
        self, app: FastAPI, client: httpx.AsyncClient, shopping: httpx.AsyncClient
    ) -> None:
        self.app = app
        self.client = client
        self.shopping = shopping

    async def created(self, url: str, body: Json) -> Json:
        response = await self.client.post(url, json=body)
        assert response.status_code < 300, f"POST {url}: {response.text}"
        answer: Json = response.json()
        return answer

    async def draft(self) -> dict[str, str]:
        draft = await create_draft(self.shopping, draft_body(item(line_id=1)))
        return {"id": draft["id"], "line_id": "1"}

    async def order(self, path: str) -> dict[str, str]:
        """An order of two lines (10000, 5000) with line 1 authorized, half of it captured
        (part of that refunded) and the rest cancelled, a comment and a payment session;
        `operation_id` is the operation of the path's kind."""
        order = await order_with_lines(self.shopping, (10000, 5000))
        url = f"/orders/{order['id']}"
        operations = {
            kind: await created(self.shopping, order["id"], kind, amounts)
            for kind, amounts in OPERATIONS.items()
        }
        commented = await self.created(f"/shopping{url}/comments", {"body": "Leave at the door"})
        session = await self.created(f"/shopping{url}/sessions", ORDER_SESSION)
        kind = next((kind for kind in operations if f"/{kind}/" in path), "authorizations")
        return {
            "order_id": order["id"],
            "operation_id": operations[kind]["id"],
            "comment_id": commented["comments"][0]["id"],
            "session_id": session["id"],
            "customer_id": CUSTOMER,
            "store_id": STORE,
        }

    async def discount_rule(self) -> dict[str, str]:
        rule = await self.created("/discounts/rules", rule_body())
        await self.created(f"/discounts/rules/{rule['id']}/customers", {"customers": [CUSTOMER]})
        return {"rule_id": rule["id"], "customer_id": CUSTOMER}

    async def checkout_session(self) -> str:
        return str((await self.created("/checkout/sessions-profile", session_body()))["id"])

    async def paid_transaction(self) -> str:
        session_id = await self.checkout_session()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=ROOT
        ) as root:
            return (await pay(root, self.app, session_id))["transaction_id"][0]
