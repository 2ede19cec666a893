"""Examples of draft-order bodies and answers for the OpenAPI document, after Dintero's
documented samples (two chairs from store SL02, 25 % VAT included in the price)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

DRAFT_ID = "5e4c3d8b-7f5b-4a8f-9a55-0f1f3b2a9c11"
BASE_URL = "https://shopping.example.com/v1/accounts/T11223344/shopping"
CLIENT_ID = "5tb6PfBmkGZm9LP4VfsmQ0"

ITEM: Json = {
    "id": "B234-1",
    "line_id": 1,
    "description": "Stol",
    "quantity": 2,
    "gross_amount": 39800,
    "tax_lines": [
        {"percentage": 25, "amount": 7960, "included_in_price": True, "tax_group": "Vmva-høy"}
    ],
    "groups": [{"id": "B234", "name": "Stol"}, {"id": "B1", "name": "Møbel"}],
    "eligible_for_discount": True,
    "external_id": "SL02-94821948",
    "store": {"id": "SL02", "name": "Stoler og bord Storo", "organization_number": "917000000"},
}

ORDER: Json = {
    "currency": "NOK",
    "order_number": "order123456",
    "type": "delivery",
    "customer": {
        "id": "cus_5e4c3d8b",
        "first_name": "Ola",
        "last_name": "Nordmann",
        "email": "ola.nordmann@example.com",
        "phone_number": "+4799999999",
    },
    "shipping_address": {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "address_line": "Sommerkroveien 34",
        "postal_code": "0349",
        "postal_place": "Oslo",
        "country": "NO",
        "comment": "5th floor, use doorbell.",
    },
    "store": {"id": "SL02", "name": "Stoler og bord Storo", "organization_number": "917000000"},
    "items": [ITEM],
}

OPTIONS: Json = {"generate_order_id": "ALPHANUMERIC_9", "split_draft": False}

DRAFT_WRITE: Json = {"order": ORDER, "options": OPTIONS}

ITEM_WITH_TOTALS: Json = {**ITEM, "net_amount": 39800, "version": 1, "is_changed": False}

ORDER_WITH_TOTALS: Json = {
    **ORDER,
    "items": [ITEM_WITH_TOTALS],
    "gross_amount": 39800,
    "net_amount": 39800,
    "total_discount": 0,
    "total_manual_discount_amount": 0,
    "stores": [ITEM["store"]],
    "multiple_authorizations": False,
}


def api_event(event_id: str, version: int, method: str, path: str, at: str) -> Json:
    return {
        "id": event_id,
        "event_type": "api-event",
        "created_at": at,
        "created_by": CLIENT_ID,
        "version": version,
        "request": {"path": path, "method": method, "body": None},
    }


CREATED_AT = "2026-03-02T09:15:27.532Z"
DRAFT_PATH = f"/v1/accounts/T11223344/shopping/draft_orders/{DRAFT_ID}"

DRAFT: Json = {
    "id": DRAFT_ID,
    "created_at": CREATED_AT,
    "created_by": CLIENT_ID,
    "updated_at": CREATED_AT,
    "status": "open",
    "version": 1,
    "_links": [{"href": f"{BASE_URL}/draft_orders/{DRAFT_ID}", "rel": "draft"}],
    "options": OPTIONS,
    "order": ORDER_WITH_TOTALS,
    "events": [
        api_event(
            "0b1f6c2e-3a41-4a8e-8d0c-4b8f1d2e7a90",
            1,
            "POST",
            "/v1/accounts/T11223344/shopping/draft_orders",
            CREATED_AT,
        )
    ],
}

DRAFT_LIST: Json = {"draft_orders": [DRAFT]}
