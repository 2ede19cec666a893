"""An example page of the event feed: a service event added to an order."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ORDER_UUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
ORDER_URL = f"https://api.dintero.com/v1/accounts/T11223344/shopping/orders/{ORDER_UUID}"

EVENT_FEED_PAGE: Json = {
    "events": [
        {
            "account_id": "T11223344",
            "event": "shopping_order_event_add",
            "event_id": "0c9e8d7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f",
            "sequence": 3,
            "created_at": "2024-05-01T12:45:00Z",
            "order": {
                "id": ORDER_UUID,
                "order_id": "10293",
                "status": "open",
                "version": 2,
                "currency": "NOK",
                "_links": [{"href": ORDER_URL, "rel": "order"}],
            },
            "order_event": {
                "id": "5d0c7b3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e",
                "event_type": "service-event",
                "created_at": "2024-05-01T12:45:00Z",
                "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
                "version": 2,
                "state": "success",
                "service": "kitchen",
                "service_status": "ready_for_pickup",
            },
        }
    ]
}
