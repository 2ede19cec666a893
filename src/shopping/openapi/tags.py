"""The document's tags, in the order of a purchase: a token, a cart, an order, a payment."""

from __future__ import annotations

from typing import Any

TAGS: list[dict[str, Any]] = [
    {
        "name": "auth",
        "description": "Exchange an API client's id and secret (HTTP Basic) for a bearer token "
        "whose scopes decide what it may call. `shopping-api clients create` makes a client.",
    },
    {
        "name": "draft orders",
        "description": "A cart: create it, add, change and remove lines, apply discounts.",
    },
    {
        "name": "discounts",
        "description": "Discount rules (the Discounts API): requirements, rewards and "
        "limitations that `apply_discounts=true` turns into discount lines.",
    },
    {
        "name": "orders",
        "description": "A completed draft is an order. Read, update, cancel, close and reopen it.",
    },
    {
        "name": "payment sessions",
        "description": "A Checkout session for an order, paid on the hosted page.",
    },
    {
        "name": "checkout",
        "description": "Dintero Checkout: sessions, their transactions and the callback "
        "signature secret.",
    },
    {
        "name": "payment operations",
        "description": "The order's ledger per line: authorizations, captures, refunds and "
        "cancellations. Amounts are integers in minor units.",
    },
    {"name": "comments", "description": "Notes on an order, by staff or by an integration."},
    {"name": "order events", "description": "Custom events recorded on an order."},
    {
        "name": "store and customer views",
        "description": "Orders of one store or one customer, for POS and My Pages.",
    },
    {
        "name": "payout rules",
        "description": "How a marketplace order's captured amount is split between payees.",
    },
    {
        "name": "webhooks",
        "description": "Signed `shopping_*` event deliveries to subscribers, and the event feed.",
    },
    {"name": "health", "description": "Liveness and readiness, for load balancers."},
]
