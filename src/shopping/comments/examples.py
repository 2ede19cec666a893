"""Examples for the comment endpoints (reference §3.14)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ORDER_UUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"

COMMENT_CREATE: Json = {
    "body": "The customer asked for delivery after 16:00.",
    "visibility": "private",
}

COMMENT: Json = {
    "id": "9b2f6c1e-3d4a-4f5b-8c7d-1e2f3a4b5c6d",
    "created_at": "2024-05-02T09:15:00Z",
    "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
    **COMMENT_CREATE,
}

#: the order as answered, cut to the fields the comment endpoints change
COMMENTED_ORDER: Json = {
    "id": ORDER_UUID,
    "order_id": "10293",
    "status": "open",
    "version": 4,
    "currency": "NOK",
    "comments": [COMMENT],
    "_links": [
        {
            "href": f"https://api.dintero.com/v1/accounts/T11223344/shopping/orders/{ORDER_UUID}",
            "rel": "order",
        }
    ],
}
