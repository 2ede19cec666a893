"""Examples for the payment-session endpoints: a checkout for two lines of an order, through
a Checkout profile (reference §3.12 and Dintero Checkout's session examples)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

SESSION_ID = "T11223344.4ba8jA6DZdvEQt3QWSyfA9"
CHECKOUT_PAGE = f"https://checkout.dintero.com/v1/view/{SESSION_ID}"

SESSION_CREATE: Json = {
    "items": [{"line_id": 1, "amount": 39800}, {"line_id": 2, "amount": 4900}],
    "url": {
        "return_url": "https://shop.example.com/accept",
        "callback_url": "https://shop.example.com/callback",
        "merchant_terms_url": "https://shop.example.com/terms",
    },
    "profile_id": "default",
    "metadata": {"cart_id": "c-1029"},
}

SESSION: Json = {
    "items": SESSION_CREATE["items"],
    "profile_id": "default",
    "metadata": SESSION_CREATE["metadata"],
    "urls": SESSION_CREATE["url"],
    "id": SESSION_ID,
    "created_at": "2024-05-01T12:00:00Z",
    "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
    "amount": 44700,
    "url": CHECKOUT_PAGE,
    "_links": [{"href": CHECKOUT_PAGE, "rel": "session_url"}],
}
