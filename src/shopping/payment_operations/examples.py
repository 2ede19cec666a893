"""Examples for the payment-operation endpoints, after Dintero's documented capture (reference
§3.11): a card payment through Bambora, recorded by Dintero Checkout."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ORDER_URL = (
    "https://api.dintero.com/v1/accounts/T11223344/shopping/orders/"
    "497f6eca-6276-4993-bfeb-53cbbbba6f08"
)
PAYMENT_DETAILS: Json = {
    "psp": "bambora",
    "payment_id": "T11223344.4ba8jA6DZdvEQt3QWSyfA9",
    "payment_product": "bambora",
    "payment_product_type": "bambora.creditcard",
    "card": {"masked_pan": "411111******1111", "type": "credit", "brand": "Visa"},
}

OPERATION_CREATE: Json = {
    "items": [{"line_id": 1, "amount": 39800}, {"line_id": 2, "amount": 4900}],
    "processed_at": "2024-05-01T12:30:00Z",
    "processed_by": "dintero-checkout",
    "payment_details": PAYMENT_DETAILS,
    "metadata": {"gateway_reference": "g-2024-0501-17"},
    "success": True,
}


def operation(kind: str, collection: str, operation_id: str) -> Json:
    """The answer to `OPERATION_CREATE` recorded as `kind` (its `_links` rel)."""
    recorded: Json = {
        "id": operation_id,
        "created_at": "2024-05-01T12:30:02Z",
        "created_by": "7f3a0c55-2b1e-4b8e-9c55-2a5f4d1e8b10",
        "amount": 44700,
        **OPERATION_CREATE,
    }
    if kind == "authorization":
        recorded["authorization_id"] = operation_id
    recorded["_links"] = [{"href": f"{ORDER_URL}/{collection}/{operation_id}", "rel": kind}]
    return recorded


#: per kind, the operation id its examples show
OPERATION_IDS = {
    "authorization": "a1c9e3f4-0d4b-4e8e-8f4a-6b0e2d9c7a11",
    "capture": "c2d0f4a5-1e5c-4f9f-9a5b-7c1f3e0d8b22",
    "refund": "e3e1a5b6-2f6d-4a0a-8b6c-8d2a4f1e9c33",
    "cancellation": "f4f2b6c7-3a7e-4b1b-9c7d-9e3b5a2f0d44",
}
