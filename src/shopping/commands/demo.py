"""`shopping-api demo --account T…`: sample data for trying the API and its pages.

The data is made the way a client makes it: requests to the Shopping API, served in this
process by the same application `serve` runs, with a short-lived token of the account. So every
draft, order, payment and subscription is validated, versioned, audited and emitted as events
exactly as if it had come over the network.

Every write carries an `Idempotency-Key` derived from the account and the step, so running the
demo again (within the keys' lifetime, 7 days) replays the same answers and adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING, HOOKS_WRITE
from shopping.auth.tokens import TokenIssuer
from shopping.config import Settings

Json = dict[str, Any]

DEMO_CLIENT_ID = "shopping-api-demo"
#: keys of this demo's writes; a new key prefix is a new set of data
KEY_PREFIX = "demo-v1"
#: a reserved name (RFC 2606) that resolves nowhere: the demo's subscription is a placeholder,
#: inactive, accepted only by the demo itself (the server checks the URL again on every change
#: and before every delivery); point it at your own receiver to see events arrive
WEBHOOK_HOST = "receiver.example"
WEBHOOK_URL = f"https://{WEBHOOK_HOST}/shopping-webhooks"

CUSTOMERS: tuple[Json, ...] = (
    {"id": "cust-1001", "first_name": "Kari", "last_name": "Nordmann",
     "email": "kari.nordmann@example.com", "phone_number": "+4791234567"},
    {"id": "cust-1002", "first_name": "Ola", "last_name": "Hansen",
     "email": "ola.hansen@example.com", "phone_number": "+4792345678"},
    {"id": "cust-1003", "first_name": "Ingrid", "last_name": "Berg",
     "email": "ingrid.berg@example.com", "phone_number": "+4793456789"},
    {"id": "cust-1004", "first_name": "Lars", "last_name": "Johansen",
     "email": "lars.johansen@example.com", "phone_number": "+4794567890"},
)  # fmt: skip
ADDRESSES: tuple[Json, ...] = (
    {"address_line": "Storgata 1", "postal_code": "0155", "postal_place": "Oslo"},
    {"address_line": "Bryggen 12", "postal_code": "5003", "postal_place": "Bergen"},
    {"address_line": "Munkegata 5", "postal_code": "7013", "postal_place": "Trondheim"},
    {"address_line": "Kirkegata 3", "postal_code": "4006", "postal_place": "Stavanger"},
)
#: (product id, description, unit price in øre incl. 25 % VAT)
PRODUCTS: tuple[tuple[str, str, int], ...] = (
    ("SKU-CHAIR", "Stablestol, eik", 129900),
    ("SKU-TABLE", "Spisebord 180 cm", 899000),
    ("SKU-LAMP", "Taklampe, messing", 249900),
    ("SKU-RUG", "Ullteppe 200x300", 459900),
    ("SKU-MUG", "Kaffekopp, steintøy", 19900),
)
STORE = {"id": "oslo-sentrum", "name": "Oslo Sentrum"}


@dataclass
class DemoResult:
    """What the demo left in the account, by kind, for the summary it prints."""

    drafts: list[str] = field(default_factory=list)
    orders: dict[str, str] = field(default_factory=dict)  # order id → what was done to it
    subscriptions: list[str] = field(default_factory=list)

    def as_json(self) -> Json:
        return {
            "drafts": self.drafts,
            "orders": [{"id": oid, "state": state} for oid, state in self.orders.items()],
            "webhook_subscriptions": self.subscriptions,
        }


class DemoFailed(RuntimeError):
    """The API refused a demo request (it says which and why)."""


def demo_token(settings: Settings, account_id: str) -> str:
    issuer = TokenIssuer(settings.signing_secret(), ttl_seconds=600)
    scopes = frozenset({ADMIN_SHOPPING, *HOOKS_WRITE})
    return issuer.issue(Principal(account_id, DEMO_CLIENT_ID, scopes))


async def fill_account(settings: Settings, account_id: str) -> DemoResult:
    """Drafts, orders in several states with their payments, and a webhook subscription."""
    from shopping.app import create_app

    # the demo's own process runs no background worker: `serve` or `worker` delivers later
    allowed = ",".join(filter(None, (settings.webhook_allowed_hosts, WEBHOOK_HOST)))
    demo_settings = settings.model_copy(
        update={"worker_in_process": False, "webhook_allowed_hosts": allowed}
    )
    app = create_app(demo_settings)
    headers = {"Authorization": f"Bearer {demo_token(settings, account_id)}"}
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://demo", headers=headers, timeout=60
        ) as http,
    ):
        return await _Demo(http, account_id).run()


class _Demo:
    def __init__(self, http: httpx.AsyncClient, account_id: str) -> None:
        self.http = http
        self.account_id = account_id
        self.shopping = f"/v1/accounts/{account_id}/shopping"
        self.result = DemoResult()

    async def run(self) -> DemoResult:
        await self.open_drafts()
        await self.orders()
        await self.webhook_subscription()
        return self.result

    async def send(self, method: str, path: str, key: str, body: Json) -> Json:
        response = await self.http.request(
            method,
            path,
            json=body,
            headers={"Idempotency-Key": f"{KEY_PREFIX}-{self.account_id}-{key}"},
        )
        if response.status_code != 200:
            raise DemoFailed(f"{method} {path}: {response.status_code} {response.text}")
        answer: Json = response.json()
        return answer

    # --- drafts -----------------------------------------------------------------------------

    async def draft(self, key: str, customer: int, lines: Mapping[int, int]) -> Json:
        """A draft for `CUSTOMERS[customer]` with `lines`: product index → quantity."""
        items = [
            _item(line_id, PRODUCTS[product], quantity)
            for line_id, (product, quantity) in enumerate(lines.items(), start=1)
        ]
        person = CUSTOMERS[customer]
        order: Json = {
            "currency": "NOK",
            "store": STORE,
            "customer": person,
            "shipping_address": {
                "first_name": person["first_name"],
                "last_name": person["last_name"],
                "country": "NO",
                **ADDRESSES[customer],
            },
            "merchant_reference": f"demo-{key}",
            "items": items,
        }
        return await self.send(
            "POST", f"{self.shopping}/draft_orders", f"draft-{key}", {"order": order}
        )

    async def open_drafts(self) -> None:
        for key, customer, lines in (("cart-1", 0, {0: 4, 1: 1}), ("cart-2", 1, {4: 6})):
            draft = await self.draft(key, customer, lines)
            self.result.drafts.append(draft["id"])

    # --- orders -------------------------------------------------------------------------------

    async def complete(self, key: str, customer: int, lines: Mapping[int, int]) -> Json:
        draft = await self.draft(key, customer, lines)
        completed = await self.send(
            "PUT", f"{self.shopping}/draft_orders/{draft['id']}/complete", f"complete-{key}", {}
        )
        order: Json = completed["orders"][0]
        return order

    async def operation(
        self, order: Json, kind: str, key: str, amounts: Mapping[int, int], **fields: Any
    ) -> Json:
        body: Json = {
            "items": [{"line_id": line, "amount": amount} for line, amount in amounts.items()],
            "success": True,
            **fields,
        }
        return await self.send(
            "POST", f"{self.shopping}/orders/{order['id']}/{kind}", f"{kind}-{key}", body
        )

    async def authorize(self, order: Json, key: str) -> None:
        await self.send(
            "POST",
            f"{self.shopping}/orders/{order['id']}/sessions",
            f"session-{key}",
            {
                "items": _full(order),
                "url": {"return_url": "https://shop.example.com/thank-you"},
                "profile_id": "default",
            },
        )
        await self.operation(order, "authorizations", key, _amounts(order), payment_details=CARD)

    async def orders(self) -> None:
        record = self.result.orders

        waiting = await self.complete("unpaid", 2, {2: 1})
        record[waiting["id"]] = "open, waiting for payment"

        authorized = await self.complete("authorized", 3, {3: 1, 4: 2})
        await self.authorize(authorized, "authorized")
        record[authorized["id"]] = "authorized"

        paid = await self.complete("paid", 0, {1: 1, 0: 6})
        await self.authorize(paid, "paid")
        await self.operation(paid, "captures", "paid", _amounts(paid))
        await self.send("POST", f"{self.shopping}/orders/{paid['id']}/close", "close-paid", {})
        record[paid["id"]] = "captured and closed"

        partly = await self.complete("partly-refunded", 1, {2: 2, 4: 4})
        await self.authorize(partly, "partly-refunded")
        await self.operation(partly, "captures", "partly-refunded", _amounts(partly))
        await self.operation(partly, "refunds", "partly-refunded", {2: PRODUCTS[4][2] * 4})
        record[partly["id"]] = "captured, mugs refunded"

        refunded = await self.complete("refunded", 3, {0: 2})
        await self.authorize(refunded, "refunded")
        await self.operation(refunded, "captures", "refunded", _amounts(refunded))
        await self.operation(refunded, "refunds", "refunded", _amounts(refunded))
        record[refunded["id"]] = "captured, refunded in full"

        cancelled = await self.complete("cancelled", 2, {3: 1})
        await self.send(
            "POST", f"{self.shopping}/orders/{cancelled['id']}/cancel", "cancel-cancelled", {}
        )
        record[cancelled["id"]] = "cancelled before payment"

    # --- webhooks -----------------------------------------------------------------------------

    async def webhook_subscription(self) -> None:
        subscription = await self.send(
            "POST",
            f"/v1/accounts/{self.account_id}/hooks/subscriptions",
            "webhook",
            {
                "config": {"url": WEBHOOK_URL, "content_type": "application/json"},
                "events": ["shopping_draft_complete", "shopping_order_update"],
                "active": False,
            },
        )
        self.result.subscriptions.append(subscription["id"])


CARD: Json = {
    "psp": "demo-psp",
    "payment_product": "payex",
    "payment_product_type": "payex.creditcard",
    "card": {"masked_pan": "492500******0004", "brand": "Visa"},
}


def _item(line_id: int, product: tuple[str, str, int], quantity: int) -> Json:
    product_id, description, unit_price = product
    return {
        "line_id": line_id,
        "id": product_id,
        "description": description,
        "quantity": quantity,
        "gross_amount": unit_price * quantity,
        "tax_lines": [{"percentage": 25}],
    }


def _amounts(order: Json) -> dict[int, int]:
    return {int(line["line_id"]): int(line["net_amount"]) for line in order["items"]}


def _full(order: Json) -> list[Json]:
    return [{"line_id": line, "amount": amount} for line, amount in _amounts(order).items()]
