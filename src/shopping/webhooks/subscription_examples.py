"""Examples of the Hooks API for the OpenAPI document, in the shapes of Dintero's Hooks API
reference (subscription body `config`/`events`/`active`, HMAC-SHA1 secret, delivery log)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

HOOK_ID = "5f0b6a8e-2c1d-4e7a-9b3f-8d2c6e1a4b70"
DELIVERY_ID = "c2e4f6a8-1b3d-4f5a-8c7e-9d0b2a4c6e81"

SUBSCRIPTION_WRITE: Json = {
    "config": {
        "url": "https://shop.example.com/hooks/dintero",
        "content_type": "application/json",
        "secret": {"type": "HMAC-SHA1", "value": "b5c1f1b8e0d94a6f"},
        "insecure_ssl": 0,
    },
    "events": ["shopping_draft_complete", "shopping_order_update"],
    "active": True,
}

SUBSCRIPTION: Json = {
    "id": HOOK_ID,
    "account_id": "T12345678",
    "config": {
        "url": "https://shop.example.com/hooks/dintero",
        "content_type": "application/json",
        "secret": {"type": "HMAC-SHA1"},
        "insecure_ssl": 0,
    },
    "events": ["shopping_draft_complete", "shopping_order_update"],
    "active": True,
    "created_at": "2026-05-04T09:12:31.518Z",
    "updated_at": "2026-05-04T09:12:31.518Z",
    "consecutive_failures": 0,
}

DELETED_SUBSCRIPTION: Json = {
    **SUBSCRIPTION,
    "active": False,
    "updated_at": "2026-05-06T14:02:10.044Z",
    "deleted_at": "2026-05-06T14:02:10.044Z",
}

DELIVERY: Json = {
    "id": DELIVERY_ID,
    "event_delivery": DELIVERY_ID,
    "event": "shopping_order_update",
    "event_id": "0b9d1e7c-6a54-4f3e-a2b8-3c1d5e7f9a20",
    "status": "delivered",
    "attempts": 2,
    "created_at": "2026-05-04T10:00:02.113Z",
    "next_attempt_at": None,
    "delivered_at": "2026-05-04T10:00:33.870Z",
}

PING_DELIVERY: Json = {
    "id": "7a1c3e5b-9d2f-4b6a-8e0c-2f4a6b8d0c13",
    "event_delivery": "7a1c3e5b-9d2f-4b6a-8e0c-2f4a6b8d0c13",
    "event": "ping",
    "event_id": None,
    "status": "delivered",
    "attempts": 1,
    "created_at": "2026-05-04T09:12:31.518Z",
    "next_attempt_at": None,
    "delivered_at": "2026-05-04T09:12:31.902Z",
}

DELIVERIES: list[Json] = [DELIVERY, PING_DELIVERY]

DELIVERY_DETAIL: Json = {
    **DELIVERY,
    "attempt_log": [
        {
            "attempt": 1,
            "started_at": "2026-05-04T10:00:02.120Z",
            "duration_ms": 10000,
            "status_code": None,
            "error": "ReadTimeout: timed out",
            "response_excerpt": None,
        },
        {
            "attempt": 2,
            "started_at": "2026-05-04T10:00:33.801Z",
            "duration_ms": 69,
            "status_code": 200,
            "error": None,
            "response_excerpt": '{"received": true}',
        },
    ],
}

REDELIVERY: Json = {
    **DELIVERY,
    "id": "e8a0c2d4-6f1b-4d3e-9a5c-7b9d1f3a5c92",
    "event_delivery": "e8a0c2d4-6f1b-4d3e-9a5c-7b9d1f3a5c92",
    "status": "pending",
    "attempts": 0,
    "created_at": "2026-05-05T08:30:00.000Z",
    "next_attempt_at": "2026-05-05T08:30:00.000Z",
    "delivered_at": None,
}
