"""Examples for the Discounts API, after the rule and receipt in Dintero's Discounts
documentation: 44 % off item `6` in May, given to everyone (`/`), and a receipt it prices."""

from __future__ import annotations

from typing import Any

RULE_ID = "c0ffee00-4d4f-4f6e-9a55-5a1e2b3c4d5e"
CLIENT_ID = "5e2e3a5b-8d6c-4b7e-9b1f-0f6c2d9a1e33"
REF_ID = "9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
DRAFT_ID = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"

RULE_WRITE: dict[str, Any] = {
    "name": "Mai Salg",
    "description": "44 % off item 6 through May",
    "receipt_text": "Mai Salg",
    "campaign_id": "spring-2026",
    "active": True,
    "private": False,
    "requirement": {
        "purchase_from": "2026-05-01T00:00:00Z",
        "purchase_to": "2026-06-01T00:00:00Z",
        "item": {"items": [{"id": "6"}], "quantity": 1},
        "store_ids": ["*"],
        "currencies": ["NOK"],
    },
    "reward": {"type": "discount_percent", "value": 44, "base": "gross"},
    "limitation": {
        "discount_reward_usage": -1,
        "discount_repeat_usage": -1,
        "discount_combination": -1,
        "discount_eligible": "item_eligible_for_discount",
    },
    "metadata": {"dintero:exclude:public:budget": "40000"},
    "links": [
        {
            "href": "https://shop.example.com/images/mai-salg.png",
            "rel": "thumbnail_discount_image",
            "type": "image/png",
        }
    ],
}

RULE: dict[str, Any] = {
    "id": RULE_ID,
    **RULE_WRITE,
    "type": "item",
    "created_at": "2026-04-20T10:12:31.114Z",
    "created_by": CLIENT_ID,
    "updated_at": "2026-04-20T10:12:31.114Z",
    "updated_by": CLIENT_ID,
}

RULE_UPDATED: dict[str, Any] = {
    **RULE,
    "private": True,
    "updated_at": "2026-04-22T08:03:12.500Z",
}

RULE_DELETED: dict[str, Any] = {
    **RULE,
    "deleted_at": "2026-06-02T07:00:00.000Z",
    "deleted_by": CLIENT_ID,
}

RULE_WITH_STATISTICS: dict[str, Any] = {
    **RULE,
    "statistics": {"usage": 12, "amount": 52800, "customers": 9},
}

PUBLIC_RULE: dict[str, Any] = {**RULE, "metadata": {}}

CUSTOMERS_GIVE: dict[str, Any] = {"customers": ["/"]}

CUSTOMER_REFS: list[dict[str, Any]] = [
    {
        "id": REF_ID,
        "customer_id": "/",
        "created_at": "2026-04-20T10:13:02.870Z",
        "created_by": CLIENT_ID,
        "updated_at": "2026-04-20T10:13:02.870Z",
    }
]

USAGES: list[dict[str, Any]] = [
    {
        "id": "3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4",
        "ref_id": REF_ID,
        "discount_id": RULE_ID,
        "customer_id": "c-8e1b9f",
        "create_at": "2026-05-03T14:21:09.004Z",
        "updated_at": "2026-05-03T14:21:09.004Z",
        "created_by": CLIENT_ID,
        "usage_refs": [
            {
                "ref": DRAFT_ID,
                "ref_type": "draft_complete",
                "usage": 1,
                "stamp": 0,
                "amount": 4400,
                "created_at": "2026-05-03T14:21:09.004Z",
                "created_by": CLIENT_ID,
            }
        ],
        "statistics": {"usage": 1, "amount": 4400, "stamp": 0},
    }
]

RECEIPT: dict[str, Any] = {
    "receipt_id": "R-2026-000123",
    "purchase_at": "2026-05-03T14:20:00Z",
    "store": {"id": "sc029"},
    "currency": "NOK",
    "items": [
        {
            "line_id": "2",
            "id": "6",
            "quantity": 2,
            "amount": 10000,
            "eligible_for_discount": True,
        }
    ],
}

PRICED_RECEIPT: dict[str, Any] = {
    **RECEIPT,
    "items": [
        {
            **RECEIPT["items"][0],
            "gross_amount": 10000,
            "amount": 5600,
            "discount_lines": [
                {
                    "amount": 4400,
                    "discount_type": "customer",
                    "discount_id": RULE_ID,
                    "description": "Mai Salg",
                    "percentage": 44,
                    "line_id": 1,
                }
            ],
            "is_changed": True,
        }
    ],
    "discounts": [
        {
            "id": RULE_ID,
            "name": "Mai Salg",
            "receipt_text": "Mai Salg",
            "type": "item",
            "reward": RULE_WRITE["reward"],
            "refs": [
                {
                    "id": REF_ID,
                    "customer_id": "/",
                    "amount": 4400,
                    "usage": 1,
                    "items": [{"line_id": 1, "amount": 4400}],
                }
            ],
        }
    ],
    "is_changed": True,
}
