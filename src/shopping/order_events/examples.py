"""Examples for the order-event endpoints, after Dintero's documented service event: a kitchen
reporting an order ready for pickup (reference §3.13)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ORDER_URL = (
    "https://api.dintero.com/v1/accounts/T11223344/shopping/orders/"
    "497f6eca-6276-4993-bfeb-53cbbbba6f08"
)

SERVICE_EVENT_CREATE: Json = {
    "state": "success",
    "service": "kitchen",
    "service_status": "ready_for_pickup",
    "description": "food prepared",
    "metadata": {"pickup_location": "shelf 4"},
}

SERVICE_EVENT: Json = {
    "id": "5d0c7b3e-8f1a-4c2b-9d3e-4f5a6b7c8d9e",
    "event_type": "service-event",
    "created_at": "2024-05-01T12:45:00Z",
    "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
    "version": 2,
    **SERVICE_EVENT_CREATE,
}

CREATED_SERVICE_EVENT: Json = {
    **SERVICE_EVENT,
    "_links": [{"href": f"{ORDER_URL}/events", "rel": "events"}],
}

API_EVENT: Json = {
    "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "event_type": "api-event",
    "created_at": "2024-05-01T12:00:00Z",
    "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
    "version": 1,
    "request": {
        "path": "/v1/accounts/T11223344/shopping/draft_orders/"
        "f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f/complete",
        "method": "PUT",
        "body": "{}",
    },
    "draft_id": "f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f",
}

ORDER_EVENTS: Json = {"events": [API_EVENT, SERVICE_EVENT], "state": "success"}
