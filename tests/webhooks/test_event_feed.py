"""The event feed (our extension): `GET /v1/accounts/{aid}/shopping/events?starting_after=&limit=`
lists the account's events in commit order with the bodies webhooks carry; and the outbox's
`sequence` is 1, 2, 3 … per draft or order, without gaps, even under concurrent writes."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.models import OutboxMessageRow
from tests.conftest import bearer
from tests.support.completion import auth_headers
from tests.support.drafts import create_draft, echo, get_draft, item
from tests.support.webhooks import feed, pump
from tests.webhooks.conftest import Hooks

Json = dict[str, Any]


async def make_changes(shop: httpx.AsyncClient) -> list[str]:
    """Five changes; returns their events in the order they were made."""
    draft = await create_draft(shop)
    added = await shop.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=2))
    assert added.status_code == 200, added.text
    done = await shop.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert done.status_code == 200, done.text
    [order] = done.json()["orders"]
    put = await shop.put(f"/orders/{order['id']}", json={"comment": "c"})
    assert put.status_code == 200, put.text
    event = await shop.post(
        f"/orders/{order['id']}/events", json={"service": "s", "service_status": "x"}
    )
    assert event.status_code == 200, event.text
    return [
        "shopping_draft_add",
        "shopping_draft_update",
        "shopping_draft_complete",
        "shopping_order_update",
        "shopping_order_event_add",
    ]


async def test_the_feed_holds_the_webhook_bodies_in_commit_order(hooks: Hooks) -> None:
    await hooks.subscribe()
    made = await make_changes(hooks.shop)
    events = await feed(hooks.shop, len(made))
    assert [e["event"] for e in events] == made
    async with hooks.worker() as worker:
        await pump(
            worker, lambda: len(hooks.receiver.bodies(hooks.account)) == len(made), "all events"
        )
    pushed = {b["event_id"]: b for b in hooks.receiver.bodies(hooks.account)}
    for event in events:
        body = pushed[event["event_id"]]
        assert "event_delivery" not in event
        assert {k: v for k, v in body.items() if k != "event_delivery"} == event


async def test_paging_with_starting_after(hooks: Hooks) -> None:
    made = await make_changes(hooks.shop) + await make_changes(hooks.shop)
    everything = await feed(hooks.shop, len(made))
    assert [e["event"] for e in everything] == made
    pages: list[list[Json]] = []
    cursor: str | None = None
    for _ in range(len(made)):
        params: Json = {"limit": 3}
        if cursor is not None:
            params["starting_after"] = cursor
        response = await hooks.shop.get("/events", params=params)
        assert response.status_code == 200, response.text
        page = response.json()["events"]
        pages.append(page)
        if not page:
            break
        cursor = page[-1]["event_id"]
    assert [len(p) for p in pages] == [3, 3, 3, 1, 0]
    assert [e for page in pages for e in page] == everything
    default = (await hooks.shop.get("/events")).json()["events"]
    assert default == everything[:10]  # limit defaults to 10
    for bad in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}):
        assert (await hooks.shop.get("/events", params=bad)).status_code == 400, bad


async def test_an_unknown_or_foreign_cursor_is_refused(hooks: Hooks, hook_app: FastAPI) -> None:
    await create_draft(hooks.shop)
    other_account = f"T{secrets.randbelow(10**8):08d}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=hook_app),
        base_url=f"http://testserver/v1/accounts/{other_account}/shopping",
        headers=auth_headers(other_account, ADMIN_SHOPPING),
    ) as other:
        await create_draft(other)
        [foreign] = await feed(other, 1)
        [mine] = await feed(hooks.shop, 1)
        assert foreign["account_id"] == other_account
        assert mine["account_id"] == hooks.account
        for cursor in ("00000000-0000-0000-0000-000000000000", foreign["event_id"]):
            response = await hooks.shop.get("/events", params={"starting_after": cursor})
            assert response.status_code == 400, response.text
            assert response.json()["error"]["code"] == "INVALID_CURSOR"
        assert (
            await hooks.shop.get("/events", params={"starting_after": mine["event_id"]})
        ).json() == {"events": []}


async def test_other_accounts_events_never_appear(hooks: Hooks, hook_app: FastAPI) -> None:
    others = [f"T{secrets.randbelow(10**8):08d}" for _ in range(2)]
    for account in others:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=hook_app),
            base_url=f"http://testserver/v1/accounts/{account}/shopping",
            headers=auth_headers(account, ADMIN_SHOPPING),
        ) as client:
            await make_changes(client)
    made = await make_changes(hooks.shop)
    mine = await feed(hooks.shop, len(made))
    assert {e["account_id"] for e in mine} == {hooks.account}
    assert [e["event"] for e in mine] == made


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        ((), 401),
        (("read:shopping",), 200),
        (("admin:shopping",), 200),
        (("read:hooks",), 200),
        (("admin:hooks",), 200),
        (("write:shopping",), 403),
        (("write:hooks",), 403),
        (("read:shopping:/orders/ANY/events",), 403),
    ],
)
async def test_feed_scopes(
    hook_app: FastAPI, account: str, scopes: tuple[str, ...], status: int
) -> None:
    headers = bearer(hook_app, account, *scopes) if scopes else {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=hook_app), base_url="http://testserver"
    ) as client:
        response = await client.get(f"/v1/accounts/{account}/shopping/events", headers=headers)
    assert response.status_code == status, response.text


async def test_sequence_has_no_gaps_under_concurrent_writes(hooks: Hooks) -> None:
    draft = await create_draft(hooks.shop, {"order": {"currency": "NOK", "items": []}})
    path = f"/draft_orders/{draft['id']}/items"
    responses = await asyncio.gather(
        *(hooks.shop.post(path, json=item(line_id=n, gross=100 * n)) for n in range(1, 21))
    )
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]

    events = [e for e in await feed(hooks.shop, 21) if e["draft"]["id"] == draft["id"]]
    assert [e["sequence"] for e in events] == list(range(1, 22))
    assert [e["event"] for e in events] == ["shopping_draft_add"] + ["shopping_draft_update"] * 20
    assert [e["draft"]["version"] for e in events] == list(range(1, 22))
    assert [len(e["draft"]["order"]["items"]) for e in events] == list(range(21))
    # each update's body is the draft as that request left it
    by_version = {r.json()["version"]: r.json() for r in responses}
    for event in events[1:]:
        assert event["draft"] == by_version[event["draft"]["version"]]


async def test_numbering_continues_from_the_draft_and_order_after_history_is_gone(
    hooks: Hooks,
) -> None:
    """The next `sequence` (and an order event's number) is kept on the draft's and order's
    row, so it continues whatever is left of the outbox (retention may purge it)."""
    draft = await create_draft(hooks.shop)
    done = await hooks.shop.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert done.status_code == 200, done.text
    [order] = done.json()["orders"]
    order_path = f"/orders/{order['id']}"
    put = await hooks.shop.put(order_path, json={"comment": "c"})
    assert put.status_code == 200, put.text
    service = {"service": "s", "service_status": "x"}
    added = await hooks.shop.post(f"{order_path}/events", json=service)
    assert added.status_code == 200, added.text
    assert len(await feed(hooks.shop, 4)) == 4
    async with hooks.db.write() as conn:
        await conn.execute(
            delete(OutboxMessageRow).where(OutboxMessageRow.account_id == hooks.account)
        )

    completed = echo(await get_draft(hooks.shop, draft["id"]))
    completed["order"]["comment"] = "later"  # a completed draft's notes stay editable
    noted = await hooks.shop.put(f"/draft_orders/{draft['id']}", json=completed)
    assert noted.status_code == 200, noted.text
    again = await hooks.shop.put(order_path, json={"comment": "d"})
    assert again.status_code == 200, again.text
    assert (await hooks.shop.post(f"{order_path}/events", json=service)).status_code == 200

    numbered = [(e["event"], e["sequence"]) for e in await feed(hooks.shop, 3)]
    assert numbered == [
        ("shopping_draft_update", 3),
        ("shopping_order_update", 3),
        ("shopping_order_event_add", 4),
    ]
    events = (await hooks.shop.get(f"{order_path}/events")).json()["events"]
    assert [e["event_type"] for e in events] == [
        "api-event",  # completion
        "api-event",
        "service-event",
        "api-event",
        "service-event",
    ]
