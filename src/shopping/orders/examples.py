"""Examples of order bodies and answers for the OpenAPI document: the order the draft of
`draft_orders/examples.py` becomes, and what the order endpoints do to it."""

from __future__ import annotations

from typing import Any

from shopping.draft_orders.examples import (
    BASE_URL,
    CLIENT_ID,
    DRAFT,
    DRAFT_PATH,
    ORDER,
    ORDER_WITH_TOTALS,
    api_event,
)

Json = dict[str, Any]

ORDER_UUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
COMPLETED_AT = "2026-03-02T09:17:02.118Z"
CHANGED_AT = "2026-03-02T10:02:45.004Z"

ORDER_RESPONSE: Json = {
    **ORDER_WITH_TOTALS,
    "id": ORDER_UUID,
    "order_id": "8ZK2PHXJQ",
    "status": "open",
    "payment_status": "pending",
    "payment_details": {
        "remaining_authorization_amount": 39800,
        "remaining_capture_amount": 0,
        "remaining_cancellation_amount": 0,
        "remaining_refund_amount": 0,
        "amount_due": 39800,
    },
    "version": 1,
    "created_at": COMPLETED_AT,
    "created_by": CLIENT_ID,
    "updated_at": COMPLETED_AT,
    "comments": [],
    "sessions": [],
    "authorizations": [],
    "captures": [],
    "refunds": [],
    "cancellations": [],
    "_links": [{"href": f"{BASE_URL}/orders/{ORDER_UUID}", "rel": "order"}],
}

ORDER_LIST: Json = {"orders": [ORDER_RESPONSE]}

COMPLETED_DRAFT: Json = {
    **DRAFT,
    "status": "completed",
    "version": 2,
    "updated_at": COMPLETED_AT,
    "order": {**DRAFT["order"], "order_id": "8ZK2PHXJQ"},
    "events": [
        *DRAFT["events"],
        api_event(
            "6d0a1e55-92c4-4c7b-a0c1-3c2b9e4f5d17", 2, "PUT", f"{DRAFT_PATH}/complete", COMPLETED_AT
        ),
    ],
    "orders": [ORDER_RESPONSE],
}

ORDER_IMPORT: Json = {
    **ORDER,
    "order_id": "order-2019-0042",
    "created_at": "2019-11-14T13:02:11Z",
}

IMPORTED_ORDER: Json = {
    **ORDER_RESPONSE,
    "order_id": "order-2019-0042",
    "created_at": "2019-11-14T13:02:11Z",
    "updated_at": COMPLETED_AT,
}

ORDER_CHANGES: Json = {
    "comment": "Leave it at the door",
    "delivery_at": "2026-03-04T15:00:00Z",
    "items": [{"line_id": 1, "status": "ready_for_pickup"}],
}

UPDATED_ORDER: Json = {
    **ORDER_RESPONSE,
    "comment": "Leave it at the door",
    "delivery_at": "2026-03-04T15:00:00Z",
    "items": [{**ORDER_WITH_TOTALS["items"][0], "status": "ready_for_pickup"}],
    "version": 2,
    "updated_at": CHANGED_AT,
    "updated_by": CLIENT_ID,
}

CANCEL_BODY: Json = {"cancelled_reason": "customer"}

CANCELLED_ORDER: Json = {
    **ORDER_RESPONSE,
    "status": "cancelled",
    "cancelled_at": CHANGED_AT,
    "cancelled_by": CLIENT_ID,
    "cancelled_reason": "customer",
    "version": 2,
    "updated_at": CHANGED_AT,
    "updated_by": CLIENT_ID,
}

CLOSED_ORDER: Json = {
    **ORDER_RESPONSE,
    "status": "closed",
    "closed_at": CHANGED_AT,
    "closed_by": CLIENT_ID,
    "version": 2,
    "updated_at": CHANGED_AT,
    "updated_by": CLIENT_ID,
}

REOPENED_ORDER: Json = {
    **CLOSED_ORDER,
    "status": "open",
    "version": 3,
    "updated_at": "2026-03-02T11:20:09.871Z",
}
