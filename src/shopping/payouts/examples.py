"""Examples for the stored payout-rule endpoints, after the split in Dintero's Shopping API
documentation (rule `sc029`: a 10 % commission split further, a flat fee, and the rest shared
between two sellers)."""

from __future__ import annotations

from typing import Any

RULE_UUID = "5b4bc0a6-6f1c-4a3e-9f0d-2a8f3c1e7d42"

PAYOUT_RULE_WRITE: dict[str, Any] = {
    "rule_type": "order.items.store.id",
    "rule_id": "sc029",
    "destinations": [
        {
            "type": "percentage",
            "value": 10,
            "destinations": [
                {"type": "flat_amount", "value": "500", "destination": "account-a"},
                {
                    "type": "remaining_amount",
                    "destinations": [
                        {"type": "percentage", "value": "5.0", "destination": "account-b"}
                    ],
                },
            ],
        },
        {"type": "flat_amount", "value": 500, "destination": "account-a"},
        {
            "type": "remaining_amount",
            "destinations": [
                {"type": "percentage", "value": 5, "destination": "account-b"},
                {"type": "percentage", "value": "95.0", "destination": "account-c"},
            ],
        },
    ],
    "metadata": {"seller": "Sports Corner"},
}

STORED_PAYOUT_RULE: dict[str, Any] = {
    **PAYOUT_RULE_WRITE,
    "id": RULE_UUID,
    "account_id": "T11223344",
    "rule_version": 1,
    "created_at": "2026-03-02T09:15:27.391Z",
    "created_by": "5e2e3a5b-8d6c-4b7e-9b1f-0f6c2d9a1e33",
}

UPDATED_PAYOUT_RULE: dict[str, Any] = {
    **STORED_PAYOUT_RULE,
    "rule_version": 2,
    "created_at": "2026-03-09T14:02:11.104Z",
}

DELETED_PAYOUT_RULE: dict[str, Any] = {
    **STORED_PAYOUT_RULE,
    "deleted_at": "2026-04-01T08:00:00.000Z",
}

PAYOUT_RULE_LIST: dict[str, Any] = {"payout_rules": [STORED_PAYOUT_RULE]}
