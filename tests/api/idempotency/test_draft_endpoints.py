"""Draft writes under `Idempotency-Key` (issue 3 §4: every POST/PUT accepts it)."""

from __future__ import annotations

import httpx

from tests.support.drafts import create_draft, draft_body, get_draft, item, list_drafts

REPLAYED = "Idempotent-Replayed"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def test_a_draft_create_retried_with_its_key_creates_one_draft(
    api: httpx.AsyncClient,
) -> None:
    body = draft_body(item())

    original = await api.post("/draft_orders", json=body, headers=keyed("d-1"))
    replay = await api.post("/draft_orders", json=body, headers=keyed("d-1"))

    assert original.status_code == 200, original.text
    assert replay.status_code == 200, replay.text
    assert replay.json() == original.json()
    assert replay.headers.get(REPLAYED) == "true"
    assert [d["id"] for d in await list_drafts(api)] == [original.json()["id"]]


async def test_an_add_item_retried_with_its_key_adds_one_line(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    url = f"/draft_orders/{draft['id']}/items"

    original = await api.post(url, json=item(gross=5), headers=keyed("d-2"))
    replay = await api.post(url, json=item(gross=5), headers=keyed("d-2"))

    assert original.status_code == 200, original.text
    assert replay.json() == original.json()
    assert replay.headers.get(REPLAYED) == "true"
    assert len((await get_draft(api, draft["id"]))["order"]["items"]) == 2


async def test_a_draft_create_key_reused_for_another_body_is_422(api: httpx.AsyncClient) -> None:
    await api.post("/draft_orders", json=draft_body(item(gross=1)), headers=keyed("d-3"))

    reused = await api.post("/draft_orders", json=draft_body(item(gross=2)), headers=keyed("d-3"))

    assert reused.status_code == 422, reused.text
    assert len(await list_drafts(api)) == 1
