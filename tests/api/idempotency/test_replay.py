"""`Idempotency-Key` (issue 3 §4, runner contract): a write runs once per key and account.

A retry with the same key gets the original status and body with `Idempotent-Replayed: true`
and changes nothing; the same key on a different request is a 422; 4xx outcomes are stored and
replayed like successes; keys are scoped by account.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.support.completion import (
    account_client,
    another_account,
    complete,
    completed,
    error_code,
    get_order,
    ids,
    list_orders,
    new_order,
    order_events,
)
from tests.support.drafts import create_draft, get_draft

REPLAYED = "Idempotent-Replayed"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def assert_replay_of(replay: httpx.Response, original: httpx.Response) -> None:
    assert replay.status_code == original.status_code, replay.text
    assert replay.json() == original.json()
    assert replay.headers.get(REPLAYED) == "true"
    assert REPLAYED not in original.headers


# ---- completion ----------------------------------------------------------------------------


async def test_a_completion_retried_with_its_key_is_replayed(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    original = await complete(api, draft["id"], key="c-1")
    assert original.status_code == 200, original.text

    replay = await complete(api, draft["id"], key="c-1")

    assert_replay_of(replay, original)
    assert replay.headers["ETag"] == '"2"'
    assert ids(await list_orders(api)) == ids(original.json()["orders"])
    assert (await get_draft(api, draft["id"]))["version"] == 2


async def test_a_completion_retried_without_its_key_is_409(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    await completed(api, draft["id"], key="c-2")

    retry = await complete(api, draft["id"])

    assert retry.status_code == 409, retry.text
    assert error_code(retry) == "DRAFT_ALREADY_COMPLETED"
    assert REPLAYED not in retry.headers


async def test_a_conflict_is_stored_and_replayed(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    await completed(api, draft["id"])

    conflict = await complete(api, draft["id"], key="c-3")
    replay = await complete(api, draft["id"], key="c-3")

    assert conflict.status_code == 409, conflict.text
    assert error_code(conflict) == "DRAFT_ALREADY_COMPLETED"
    assert_replay_of(replay, conflict)


async def test_a_not_found_is_stored_and_replayed(api: httpx.AsyncClient) -> None:
    url = "/draft_orders/00000000-0000-4000-8000-000000000000/complete"
    missing = await api.put(url, json={}, headers=keyed("c-4"))
    replay = await api.put(url, json={}, headers=keyed("c-4"))

    assert missing.status_code == 404, missing.text
    assert_replay_of(replay, missing)


async def test_the_same_key_for_another_draft_is_422_and_runs_nothing(
    api: httpx.AsyncClient,
) -> None:
    first = await create_draft(api)
    second = await create_draft(api)
    [order] = (await completed(api, first["id"], key="c-5"))["orders"]

    reused = await complete(api, second["id"], key="c-5")

    assert reused.status_code == 422, reused.text
    assert error_code(reused) == "IDEMPOTENCY_KEY_REUSED"
    assert (await get_draft(api, second["id"]))["status"] == "open"
    assert ids(await list_orders(api)) == [order["id"]]


async def test_keys_are_per_account(api: httpx.AsyncClient, app: FastAPI) -> None:
    mine = await create_draft(api)
    async with account_client(app, another_account()) as other:
        theirs = await create_draft(other)
        their_completion = await complete(other, theirs["id"], key="shared-key")
    my_completion = await complete(api, mine["id"], key="shared-key")

    for response in (their_completion, my_completion):
        assert response.status_code == 200, response.text
        assert REPLAYED not in response.headers
    assert my_completion.json()["id"] == mine["id"]
    assert ids(await list_orders(api)) == ids(my_completion.json()["orders"])


# ---- order writes --------------------------------------------------------------------------


async def test_an_order_update_is_replayed_and_applied_once(api: httpx.AsyncClient) -> None:
    order = await new_order(api)
    url = f"/orders/{order['id']}"

    original = await api.put(url, json={"comment": "first"}, headers=keyed("u-1"))
    replay = await api.put(url, json={"comment": "first"}, headers=keyed("u-1"))

    assert original.status_code == 200, original.text
    assert original.headers["ETag"] == '"2"'
    assert_replay_of(replay, original)
    assert (await get_order(api, order["id"]))["version"] == 2
    assert len(await order_events(api, order["id"])) == 2


async def test_a_replay_does_not_run_again_even_when_state_moved_on(
    api: httpx.AsyncClient,
) -> None:
    order = await new_order(api)
    close = f"/orders/{order['id']}/close"
    first = await api.post(close, headers=keyed("k-close"))
    assert first.status_code == 200, first.text
    reopened = await api.post(f"/orders/{order['id']}/open")
    assert reopened.status_code == 200, reopened.text

    replay = await api.post(close, headers=keyed("k-close"))

    assert_replay_of(replay, first)
    assert replay.json()["status"] == "closed"
    current = await get_order(api, order["id"])
    assert (current["status"], current["version"]) == ("open", 3)


async def test_a_stored_conflict_is_replayed_even_when_it_would_now_succeed(
    api: httpx.AsyncClient,
) -> None:
    order = await new_order(api)
    reopen = f"/orders/{order['id']}/open"
    refused = await api.post(reopen, headers=keyed("k-open"))  # an open order cannot be opened
    assert refused.status_code == 409, refused.text
    closed = await api.post(f"/orders/{order['id']}/close")
    assert closed.status_code == 200, closed.text

    replay = await api.post(reopen, headers=keyed("k-open"))
    fresh = await api.post(reopen, headers=keyed("k-open-2"))

    assert_replay_of(replay, refused)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["status"] == "open"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/cancel", {"cancelled_reason": "customer"}),
        ("/comments", {"body": "once"}),
        ("/events", {"service": "kitchen", "service_status": "ready", "state": "success"}),
    ],
)
async def test_order_posts_are_replayed(
    api: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    order = await new_order(api)
    url = f"/orders/{order['id']}{path}"

    original = await api.post(url, json=body, headers=keyed("p-1"))
    replay = await api.post(url, json=body, headers=keyed("p-1"))

    assert original.status_code == 200, original.text
    assert_replay_of(replay, original)
    after = await get_order(api, order["id"], include_events="true")
    assert len(after["events"]) == 2
    assert len(after["comments"]) == (1 if path == "/comments" else 0)


async def test_the_same_key_with_another_body_is_422(api: httpx.AsyncClient) -> None:
    order = await new_order(api)
    url = f"/orders/{order['id']}"
    await api.put(url, json={"comment": "a"}, headers=keyed("u-2"))

    reused = await api.put(url, json={"comment": "b"}, headers=keyed("u-2"))

    assert reused.status_code == 422, reused.text
    assert error_code(reused) == "IDEMPOTENCY_KEY_REUSED"
    current = await get_order(api, order["id"])
    assert (current["comment"], current["version"]) == ("a", 2)


async def test_the_same_key_with_another_query_is_422(api: httpx.AsyncClient) -> None:
    order = await new_order(api)
    url = f"/orders/{order['id']}"
    await api.put(url, json={"comment": "a"}, headers=keyed("u-3"))

    reused = await api.put(
        url, json={"comment": "a"}, params={"include_events": "true"}, headers=keyed("u-3")
    )

    assert reused.status_code == 422, reused.text


async def test_the_same_key_on_another_path_is_422(api: httpx.AsyncClient) -> None:
    order = await new_order(api)
    closed = await api.post(f"/orders/{order['id']}/close", headers=keyed("u-4"))
    assert closed.status_code == 200, closed.text

    reused = await api.post(f"/orders/{order['id']}/open", headers=keyed("u-4"))

    assert reused.status_code == 422, reused.text
    assert error_code(reused) == "IDEMPOTENCY_KEY_REUSED"
    assert (await get_order(api, order["id"]))["version"] == 2


# ---- the key itself ------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
async def test_an_empty_or_overlong_key_is_400(api: httpx.AsyncClient, key: str) -> None:
    draft = await create_draft(api)

    response = await complete(api, draft["id"], key=key)

    assert response.status_code == 400, response.text
    assert [e["path"] for e in response.json()["error"]["errors"]] == ["Idempotency-Key"]
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_a_255_character_key_is_fine(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    key = "k" * 255

    original = await complete(api, draft["id"], key=key)
    replay = await complete(api, draft["id"], key=key)

    assert original.status_code == 200, original.text
    assert_replay_of(replay, original)
