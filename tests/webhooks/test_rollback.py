"""A request that is rolled back delivers nothing and leaves nothing in the feed (the outbox
message is written in the request's own transaction).

Each test ends with a "sentinel" change that does commit: once it has been delivered, anything
the failed request had emitted would have been delivered too (fan-out is in commit order), and
its `sequence` shows that the failed request did not use one up.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

import shopping.draft_orders.service as draft_service
import shopping.idempotency.repository as idempotency_repo
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import OutboxMessageRow
from shopping.webhooks.outbox import emit as real_emit
from tests.support.drafts import create_draft, item
from tests.support.payments import order_with_lines, record
from tests.support.webhooks import feed, passes, pump, verify
from tests.webhooks.conftest import Hooks

Json = dict[str, Any]


class Injected(RuntimeError):
    """The failure a test injects after the outbox write."""


async def outbox_count(conn: UnitOfWork, account: str) -> int:
    count: int = await conn.scalar(
        select(func.count())
        .select_from(OutboxMessageRow)
        .where(OutboxMessageRow.account_id == account)
    )
    return count


async def delivered_after_sentinel(hooks: Hooks, sentinel_event: str, n: int) -> list[Json]:
    """Run the worker until `n` non-ping events (the last being the sentinel) arrived."""
    async with hooks.worker() as worker:
        await pump(
            worker,
            lambda: any(b["event"] == sentinel_event for b in hooks.receiver.bodies(hooks.account)),
            sentinel_event,
        )
        await passes(worker, 2)
    bodies = [verify(r) for r in hooks.receiver.delivered(hooks.account) if r.event != "ping"]
    assert len(bodies) == n, [b["event"] for b in bodies]
    return bodies


async def test_a_refused_capture_delivers_nothing(hooks: Hooks) -> None:
    order = await order_with_lines(hooks.shop, (10000,))
    await hooks.subscribe(["shopping_order_update"])
    before = await feed(hooks.shop, 2)

    refused = await record(hooks.shop, order["id"], "captures", {1: 10000})  # nothing authorized
    assert refused.status_code == 409, refused.text
    too_much = await record(hooks.shop, order["id"], "authorizations", {1: 99999})
    assert too_much.status_code in (400, 409), too_much.text
    assert await feed(hooks.shop) == before

    sentinel = await hooks.shop.put(f"/orders/{order['id']}", json={"comment": "sentinel"})
    assert sentinel.status_code == 200, sentinel.text
    [body] = await delivered_after_sentinel(hooks, "shopping_order_update", 1)
    assert body["order"]["comment"] == "sentinel"
    assert body["sequence"] == 1
    assert "captures" not in body["order"] or body["order"]["captures"] == []


async def test_validation_failures_deliver_nothing(hooks: Hooks) -> None:
    await hooks.subscribe(["shopping_draft_add", "shopping_draft_update"])
    draft = await create_draft(hooks.shop)
    path = f"/draft_orders/{draft['id']}"
    failures = [
        await hooks.shop.post("/draft_orders", json={"order": {"currency": "NOKK"}}),
        await hooks.shop.post(f"{path}/items", json={**item(), "gross_amount": "many"}),
        await hooks.shop.put(f"{path}/items/99", json=item(line_id=99)),  # no such line
        await hooks.shop.delete(f"{path}/items/99"),
        await hooks.shop.put(
            path, json={"order": {"currency": "NOK"}}, headers={"If-Match": '"7"'}
        ),  # stale version
    ]
    assert [r.status_code // 100 for r in failures] == [4] * len(failures), [
        (r.status_code, r.text) for r in failures
    ]
    assert [e["event"] for e in await feed(hooks.shop, 1)] == ["shopping_draft_add"]

    sentinel = await hooks.shop.post(f"{path}/items", json=item(line_id=2))
    assert sentinel.status_code == 200, sentinel.text
    bodies = await delivered_after_sentinel(hooks, "shopping_draft_update", 2)
    assert [(b["event"], b["sequence"]) for b in bodies] == [
        ("shopping_draft_add", 1),
        ("shopping_draft_update", 2),
    ]


async def test_a_failure_after_the_outbox_write_delivers_nothing(
    hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft use case emits its event, then fails before the transaction commits."""
    await hooks.subscribe(["shopping_draft_add", "shopping_draft_update"])
    draft = await create_draft(hooks.shop)
    seen_inside: list[int] = []

    async def emit_then_fail(conn: UnitOfWork, **kwargs: Any) -> str:
        await real_emit(conn, **kwargs)
        seen_inside.append(await outbox_count(conn, hooks.account))  # the write happened
        raise Injected("after the outbox write")

    monkeypatch.setattr(draft_service, "emit", emit_then_fail)
    failed = await hooks.shop.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=2))
    assert failed.status_code == 500, failed.text
    monkeypatch.undo()

    assert seen_inside == [2]  # draft_add + the one that is rolled back
    async with hooks.db.read() as conn:
        assert await outbox_count(conn, hooks.account) == 1
    assert [e["event"] for e in await feed(hooks.shop, 1)] == ["shopping_draft_add"]
    got = await hooks.shop.get(f"/draft_orders/{draft['id']}")
    assert got.json()["version"] == 1
    assert len(got.json()["order"]["items"]) == 1

    sentinel = await hooks.shop.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=3))
    assert sentinel.status_code == 200, sentinel.text
    bodies = await delivered_after_sentinel(hooks, "shopping_draft_update", 2)
    assert [(b["event"], b["sequence"]) for b in bodies] == [
        ("shopping_draft_add", 1),
        ("shopping_draft_update", 2),
    ]
    assert [i["line_id"] for i in bodies[1]["draft"]["order"]["items"]] == [1, 3]


async def test_an_order_write_failing_after_it_emitted_delivers_nothing(
    hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Order writes emit in `Orders.save` and then render the order (`present`) in the same
    transaction; a failure there rolls the event back with the change."""
    order = await order_with_lines(hooks.shop, (10000,))
    await hooks.subscribe(["shopping_order_update"])
    orders = hooks.app.state.orders
    seen_inside: list[int] = []

    async def fail(conn: UnitOfWork, *args: Any, **kwargs: Any) -> Json:
        seen_inside.append(await outbox_count(conn, hooks.account))
        raise Injected("after save")

    monkeypatch.setattr(orders, "present", fail)
    failed = await hooks.shop.post(f"/orders/{order['id']}/close")
    assert failed.status_code == 500, failed.text
    monkeypatch.undo()

    assert seen_inside == [3]  # draft_add, draft_complete, and the rolled-back order_update
    async with hooks.db.read() as conn:
        assert await outbox_count(conn, hooks.account) == 2
    got = await hooks.shop.get(f"/orders/{order['id']}")
    assert got.json()["status"] == "open"
    assert got.json()["version"] == order["version"]

    sentinel = await hooks.shop.put(f"/orders/{order['id']}", json={"comment": "sentinel"})
    assert sentinel.status_code == 200, sentinel.text
    [body] = await delivered_after_sentinel(hooks, "shopping_order_update", 1)
    assert (body["sequence"], body["order"]["status"]) == (1, "open")


async def test_a_keyed_request_whose_outcome_cannot_be_stored_delivers_nothing(
    hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an Idempotency-Key the stored outcome commits with the change and its event; a
    failure storing it rolls all three back."""
    order = await order_with_lines(hooks.shop, (10000,))
    await hooks.subscribe(["shopping_order_event_add"])

    async def fail(*_: Any, **__: Any) -> None:
        raise Injected("cannot store the outcome")

    monkeypatch.setattr(idempotency_repo, "complete", fail)
    body = {"service": "pickup", "service_status": "ready"}
    failed = await hooks.shop.post(
        f"/orders/{order['id']}/events", json=body, headers={"Idempotency-Key": "k-1"}
    )
    assert failed.status_code == 500, failed.text
    monkeypatch.undo()
    assert [e["event"] for e in await feed(hooks.shop, 2)] == [
        "shopping_draft_add",
        "shopping_draft_complete",
    ]

    again = await hooks.shop.post(
        f"/orders/{order['id']}/events", json=body, headers={"Idempotency-Key": "k-1"}
    )
    assert again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") is None  # really ran this time
    [delivered] = await delivered_after_sentinel(hooks, "shopping_order_event_add", 1)
    assert delivered["order_event"]["id"] == again.json()["id"]
    assert delivered["sequence"] == 1
