"""Examples of the Checkout API for the OpenAPI document, after Dintero's Checkout reference:
ids `<account>.<random>`, amounts in minor units, a `dintero_psp.creditcard` transaction paid
with a test card, return and callback URLs with the shop's own parameters kept."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

SESSION_ID = "T12345678.465U8CUzaPVpneu1wt8Wei"
TRANSACTION_ID = "T12345678.3YkJXSdSnUBXcmQSzn7uJj"
CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

ORDER: Json = {
    "amount": 29990,
    "currency": "NOK",
    "merchant_reference": "ord-1",
    "vat_amount": 5998,
    "items": [
        {
            "id": "chair-1",
            "line_id": "1",
            "description": "Stablestol",
            "quantity": 1,
            "amount": 29990,
            "vat_amount": 5998,
            "vat": 25,
        }
    ],
}

URL: Json = {
    "return_url": "https://shop.test/accept?gateway=dintero",
    "callback_url": "https://shop.test/callback?method=POST&report_error=true",
}

SESSION_CREATE: Json = {
    "profile_id": "default",
    "url": URL,
    "order": ORDER,
    "customer": {"customer_id": "cust-42", "email": "kari.nordmann@example.com"},
    "configuration": {"auto_capture": False},
    "metadata": {"shop": "web"},
}

SESSION: Json = {
    "id": SESSION_ID,
    "profile_id": "default",
    "url": URL,
    "order": ORDER,
    "customer": {"customer_id": "cust-42", "email": "kari.nordmann@example.com"},
    "configuration": {"auto_capture": False},
    "created_at": "2026-05-04T09:12:31.518Z",
    "updated_at": "2026-05-04T09:12:31.518Z",
    "expires_at": "2026-05-05T09:12:31.518Z",
    "metadata": {"shop": "web", "session:profile_id": "default"},
    "events": [
        {
            "id": "5d1f0a3c-7b2e-4c9d-8f6a-1e3b5c7d9f02",
            "name": "INITIATED",
            "created_at": "2026-05-04T09:12:31.518Z",
        }
    ],
}

PAID_SESSION: Json = {
    **SESSION,
    "transaction_id": TRANSACTION_ID,
    "updated_at": "2026-05-04T09:14:02.771Z",
    "events": [
        *SESSION["events"],
        {
            "id": "9a2c4e6f-1b3d-4f5a-9c7e-2d4f6a8c0e13",
            "name": "AUTHORIZED",
            "created_at": "2026-05-04T09:14:02.771Z",
            "details": {
                "payment_product_type": "dintero_psp.creditcard",
                "transaction_status": "AUTHORIZED",
            },
        },
    ],
}

CANCELLED_SESSION: Json = {
    **SESSION,
    "updated_at": "2026-05-04T09:20:00.000Z",
    "cancelled_at": "2026-05-04T09:20:00.000Z",
    "cancelled_by": CLIENT_ID,
    "events": [
        *SESSION["events"],
        {
            "id": "3e5a7c9b-2d4f-4a6c-8e0b-4f6a8c0e2a35",
            "name": "CANCELLED",
            "created_at": "2026-05-04T09:20:00.000Z",
        },
    ],
}

SESSION_CREATED: Json = {
    "id": SESSION_ID,
    "url": f"https://checkout.example.com/v1/view/{SESSION_ID}",
}

AUTHORIZE_EVENT: Json = {
    "id": "b7d9f1a3-5c7e-4a9b-8d1f-3a5c7e9b1d24",
    "event": "AUTHORIZE",
    "transaction_status": "AUTHORIZED",
    "success": True,
    "amount": 29990,
    "created_at": "2026-05-04T09:14:02.771Z",
    "created_by": "dintero-checkout",
    "items": [{"line_id": "1", "amount": 29990}],
}

TRANSACTION: Json = {
    "id": TRANSACTION_ID,
    "session_id": SESSION_ID,
    "created_at": "2026-05-04T09:14:02.771Z",
    "updated_at": "2026-05-04T09:14:02.771Z",
    "merchant_reference": "ord-1",
    "amount": 29990,
    "currency": "NOK",
    "status": "AUTHORIZED",
    "payment_product": "dintero_psp",
    "payment_product_type": "dintero_psp.creditcard",
    "channel": "ecommerce",
    "metadata": {"shop": "web", "session:profile_id": "default"},
    "url": {
        "redirect_url": URL["return_url"],
        "callback_url": URL["callback_url"],
    },
    "items": ORDER["items"],
    "customer": {"customer_id": "cust-42", "email": "kari.nordmann@example.com"},
    "card": {
        "brand": "Visa",
        "masked_pan": "400000******0002",
        "type": "Credit",
        "authentication_status": "Y",
    },
    "events": [AUTHORIZE_EVENT],
}

CAPTURE: Json = {"amount": 29990, "capture_reference": "shipment-1"}

CAPTURED_TRANSACTION: Json = {
    **TRANSACTION,
    "status": "CAPTURED",
    "updated_at": "2026-05-06T12:00:00.000Z",
    "events": [
        AUTHORIZE_EVENT,
        {
            "id": "c8e0a2b4-6d8f-4b0c-9e2a-4b6d8f0a2c46",
            "event": "CAPTURE",
            "transaction_status": "CAPTURED",
            "success": True,
            "amount": 29990,
            "created_at": "2026-05-06T12:00:00.000Z",
            "created_by": CLIENT_ID,
            "items": [{"line_id": "1", "amount": 29990}],
            "capture_reference": "shipment-1",
        },
    ],
}

REFUND: Json = {
    "amount": 10000,
    "items": [{"line_id": "1", "amount": 10000}],
    "reason": "Scratched on delivery",
    "refund_reference": "rma-7",
}

REFUNDED_TRANSACTION: Json = {
    **CAPTURED_TRANSACTION,
    "status": "PARTIALLY_REFUNDED",
    "updated_at": "2026-05-09T08:30:00.000Z",
    "events": [
        *CAPTURED_TRANSACTION["events"],
        {
            "id": "d9f1b3c5-7e9a-4c1d-8f3b-5c7e9a1b3d57",
            "event": "REFUND",
            "transaction_status": "PARTIALLY_REFUNDED",
            "success": True,
            "amount": 10000,
            "created_at": "2026-05-09T08:30:00.000Z",
            "created_by": CLIENT_ID,
            "items": [{"line_id": "1", "amount": 10000}],
            "reason": "Scratched on delivery",
            "refund_reference": "rma-7",
        },
    ],
}

VOIDED_TRANSACTION: Json = {
    **TRANSACTION,
    "status": "AUTHORIZATION_VOIDED",
    "updated_at": "2026-05-04T10:00:00.000Z",
    "events": [
        AUTHORIZE_EVENT,
        {
            "id": "e0a2c4d6-8f0b-4d2e-9a4c-6d8f0b2c4e68",
            "event": "VOID",
            "transaction_status": "AUTHORIZATION_VOIDED",
            "success": True,
            "amount": 29990,
            "created_at": "2026-05-04T10:00:00.000Z",
            "created_by": CLIENT_ID,
            "items": [{"line_id": "1", "amount": 29990}],
        },
    ],
}

CALLBACKS: Json = {
    "callbacks": [
        {
            "id": "f1b3d5e7-9a1c-4e3f-8b5d-7e9a1c3e5f79",
            "status": "delivered",
            "method": "POST",
            "url": "https://shop.test/callback?method=POST&report_error=true"
            f"&transaction_id={TRANSACTION_ID}&session_id={SESSION_ID}"
            "&merchant_reference=ord-1&time=2026-05-04T09%3A14%3A02.771Z",
            "created_at": "2026-05-04T09:14:02.771Z",
            "delivered_at": "2026-05-04T09:14:03.190Z",
            "attempts": [
                {
                    "attempt": 1,
                    "started_at": "2026-05-04T09:14:03.102Z",
                    "duration_ms": 88,
                    "status_code": 200,
                }
            ],
        }
    ]
}

SIGNATURE: Json = {
    "id": "2b4d6f8a-0c2e-4f6a-8b0d-2f4a6c8e0b91",
    "created_at": "2026-05-01T08:00:00.000Z",
    "created_by": CLIENT_ID,
    "signature": {
        "type": "v0-hmac-sha256",
        "secret": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    },
}
