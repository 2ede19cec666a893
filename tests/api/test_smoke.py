from __future__ import annotations

import httpx


async def test_create_and_get_draft(api: httpx.AsyncClient) -> None:
    body = {
        "order": {
            "currency": "NOK",
            "items": [{"gross_amount": 1000, "tax_lines": [{"percentage": 25}]}],
        }
    }
    created = await api.post("/draft_orders", json=body)
    assert created.status_code == 200, created.text
    got = await api.get(f"/draft_orders/{created.json()['id']}")
    assert got.status_code == 200
    assert got.json() == created.json()
