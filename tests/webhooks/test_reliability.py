"""Delivery when receivers misbehave: retries on the backoff schedule, nothing lost, per-order
order kept, redirects not followed, and a subscription disabled (not deleted) after its
deliveries kept failing for the configured period. Every test runs on a pinned clock: retries
come due by moving time, not by waiting."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tests.support.drafts import create_draft, item
from tests.support.payments import order_with_lines
from tests.support.webhooks import (
    Answer,
    Receiver,
    Request,
    deliveries_of,
    feed,
    has_deliveries,
    passes,
    pump,
    receiving,
    verify,
)
from tests.webhooks.conftest import Hooks, PinnedFactory

Json = dict[str, Any]
MINUTE = timedelta(minutes=1)


def order_of(request: Request) -> str | None:
    order = request.json.get("order")
    return None if order is None else str(order["id"])


def aggregate_of(body: Json) -> str | None:
    resource = body.get("draft") or body.get("order")
    return None if resource is None else str(resource["id"])


async def feed_ids(h: Hooks, n: int) -> list[str]:
    return [e["event_id"] for e in await feed(h.shop, n)]


async def change_order(h: Hooks, order_id: str, n: int, tag: str = "") -> None:
    for i in range(n):
        response = await h.shop.put(f"/orders/{order_id}", json={"comment": f"{tag}{i + 1}"})
        assert response.status_code == 200, response.text


def assert_in_sequence_once(bodies: list[Json]) -> None:
    """Per draft/order: sequences 1, 2, 3 … each exactly once, in that order."""
    per: dict[str | None, list[int]] = {}
    for body in bodies:
        per.setdefault(aggregate_of(body), []).append(body["sequence"])
    for aggregate, sequences in per.items():
        assert sequences == list(range(1, len(sequences) + 1)), (aggregate, sequences)


async def test_a_receiver_that_is_down_gets_everything_in_order_once_back(
    pinned_hooks: PinnedFactory,
) -> None:
    async with pinned_hooks() as h:
        sub = await h.subscribe()
        order = await order_with_lines(h.shop, (10000, 5000))
        await change_order(h, order["id"], 4)
        close = await h.shop.post(f"/orders/{order['id']}/close")
        assert close.status_code == 200, close.text
        h.receiver.answer = lambda _: Answer(500, b"down for maintenance")

        async with h.worker() as worker:
            # the ping, the draft's first event and the order's first event are tried; the
            # order's later events wait behind its first
            await pump(worker, lambda: len(h.receiver.of(h.account)) == 3, "first attempts")
            await passes(worker, 3)
            tried = h.receiver.of(h.account)
            assert len(tried) == 3
            assert all(r.status == 500 for r in tried)
            assert sorted(r.json.get("sequence", 0) for r in tried) == [0, 1, 1]
            [first] = [r for r in tried if order_of(r) == order["id"]]
            rows = await deliveries_of(h.db, h.account, event_id=first.json["event_id"])
            wait = rows[0]["next_attempt_at"] - h.clock()
            assert timedelta(seconds=9) <= wait <= timedelta(seconds=11), wait  # 10 s ± 10 %

            for attempt in (2, 3):
                h.time.advance(MINUTE)
                await pump(worker, requests_are(h, 3 * attempt), f"attempt {attempt}")
                await passes(worker, 2)
                assert len(h.receiver.of(h.account)) == 3 * attempt

            h.receiver.answer = lambda _: Answer(200, b"back")
            h.time.advance(timedelta(minutes=5))
            expected = 8  # draft add and complete, 4 updates and the close; the ping
            await pump(
                worker, lambda: len(h.receiver.delivered(h.account)) == expected, "everything"
            )
            await passes(worker, 2)

        delivered = [verify(r, pinned=True) for r in h.receiver.delivered(h.account)]
        assert len(delivered) == expected
        events = [b for b in delivered if b["event"] != "ping"]
        assert sorted(b["event_id"] for b in events) == sorted(await feed_ids(h, 7))  # none lost
        assert_in_sequence_once(events)
        assert [b["event"] for b in events if aggregate_of(b) == order["id"]] == [
            "shopping_order_update"
        ] * 5
        # the order's first delivery: three failures logged, then success
        first_id = first.json["event_delivery"]
        one = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries/{first_id}")
        assert one.status_code == 200, one.text
        assert one.json()["attempts"] == 4
        assert one.json()["status"] == "delivered"
        log = one.json()["attempt_log"]
        assert [a["status_code"] for a in log] == [500, 500, 500, 200]
        assert [a["response_excerpt"] for a in log] == ["down for maintenance"] * 3 + ["back"]
        later = [d for d in (await deliveries_of(h.db, h.account)) if d["event"] != "ping"]
        assert {d["status"] for d in later} == {"delivered"}
        assert sorted(d["attempts"] for d in later) == [1] * (len(later) - 2) + [4, 4]


def requests_are(h: Hooks, n: int) -> Callable[[], bool]:
    return lambda: len(h.receiver.of(h.account)) == n


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_closed_port_is_retried_until_a_receiver_listens(
    pinned_hooks: PinnedFactory,
) -> None:
    async with pinned_hooks() as h:
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        sub = await h.subscribe(["shopping_draft_add", "shopping_draft_update"], url=url)
        draft = await create_draft(h.shop)
        for line_id in (2, 3):
            added = await h.shop.post(
                f"/draft_orders/{draft['id']}/items", json=item(line_id=line_id)
            )
            assert added.status_code == 200, added.text

        async with h.worker() as worker:
            await pump(worker, lambda: has_deliveries(h.db, h.account, 4), "4 deliveries")
            await pump(
                worker,
                lambda: has_deliveries(h.db, h.account, 2, attempted=True),
                "the ping's and the draft_add's first attempts",
            )
            await passes(worker, 2)
            rows = await deliveries_of(h.db, h.account, subscription_id=sub["id"])
            assert sorted((r["event"], r["attempts"]) for r in rows) == [
                ("ping", 1),
                ("shopping_draft_add", 1),
                ("shopping_draft_update", 0),  # waiting behind the draft's first event
                ("shopping_draft_update", 0),
            ]
            add = next(r for r in rows if r["event"] == "shopping_draft_add")
            logged = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries/{add['id']}")
            [attempt] = logged.json()["attempt_log"]
            assert attempt["status_code"] is None
            assert "Connect" in attempt["error"]

            receiver = Receiver()
            server = await asyncio.start_server(receiver.handle, "127.0.0.1", port)
            try:
                h.time.advance(MINUTE)
                await pump(worker, lambda: len(receiver.delivered(h.account)) == 4, "all four")
                await passes(worker, 2)
            finally:
                await receiver.stop()
                server.close()
        bodies = [verify(r, pinned=True) for r in receiver.delivered(h.account)]
        events = [b for b in bodies if b["event"] != "ping"]
        assert [(b["event"], b["sequence"]) for b in events] == [
            ("shopping_draft_add", 1),
            ("shopping_draft_update", 2),
            ("shopping_draft_update", 3),
        ]


async def test_a_redirect_is_a_failure_and_is_not_followed(pinned_hooks: PinnedFactory) -> None:
    async with pinned_hooks() as h, receiving() as elsewhere:
        sub = await h.subscribe(["shopping_draft_add"])
        await create_draft(h.shop)
        for status in (301, 302, 307, 308):
            h.receiver.answer_with(status, location=elsewhere.url)
            async with h.worker() as worker:
                await pump(worker, lambda: len(h.receiver.of(h.account)) >= 2, "first attempts")
                await passes(worker, 2)
            h.time.advance(timedelta(hours=1))
        assert elsewhere.requests == []
        assert h.receiver.delivered(h.account) == []
        rows = await deliveries_of(h.db, h.account, subscription_id=sub["id"])
        assert {(r["status"], r["attempts"]) for r in rows} == {("pending", 4)}
        add = next(r for r in rows if r["event"] == "shopping_draft_add")
        log = (await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries/{add['id']}")).json()
        assert [a["status_code"] for a in log["attempt_log"]] == [301, 302, 307, 308]


async def test_a_failing_event_blocks_only_its_own_order(pinned_hooks: PinnedFactory) -> None:
    async with pinned_hooks() as h:
        a = await order_with_lines(h.shop, (1000,))
        b = await order_with_lines(h.shop, (2000,))
        await h.subscribe(["shopping_order_update"])
        for round_ in range(3):
            await change_order(h, a["id"], 1, f"a{round_}-")
            await change_order(h, b["id"], 1, f"b{round_}-")
        h.receiver.answer = lambda r: Answer(503 if order_of(r) == a["id"] else 200)

        def seqs(order_id: str, *, ok: bool) -> list[int]:
            return [
                r.json["sequence"]
                for r in h.receiver.of(h.account)
                if order_of(r) == order_id and (r.ok or not ok)
            ]

        async with h.worker() as worker:
            await pump(worker, lambda: len(seqs(b["id"], ok=True)) == 3, "order B")
            await passes(worker, 3)
            assert seqs(b["id"], ok=True) == [1, 2, 3]
            assert seqs(a["id"], ok=False) == [1]  # tried once, the rest wait behind it

            h.receiver.answer = lambda _: Answer(200)
            h.time.advance(MINUTE)
            await pump(worker, lambda: len(seqs(a["id"], ok=True)) == 3, "order A")
            await passes(worker, 2)
        assert seqs(a["id"], ok=True) == [1, 2, 3]
        assert seqs(a["id"], ok=False) == [1, 1, 2, 3]
        comments = [
            r.json["order"]["comment"]
            for r in h.receiver.delivered(h.account)
            if order_of(r) == a["id"]
        ]
        assert comments == ["a0-1", "a1-1", "a2-1"]


async def test_failing_for_the_whole_period_disables_and_reenabling_replays(
    pinned_hooks: PinnedFactory,
) -> None:
    async with pinned_hooks(webhook_disable_after_failing_hours=1) as h:
        sub = await h.subscribe(["shopping_draft_add", "shopping_draft_update"])
        draft = await create_draft(h.shop)
        h.receiver.answer = lambda _: Answer(500)

        async with h.worker() as worker:
            await pump(worker, lambda: len(h.receiver.of(h.account)) >= 1, "a first attempt")
            first_failure = h.time.now
            while True:
                h.time.advance(timedelta(minutes=10))
                await passes(worker, 2)
                got = (await h.hooks.get(f"/subscriptions/{sub['id']}")).json()
                if got["active"] is False:
                    break
                assert h.time.now - first_failure < timedelta(hours=2), "never disabled"
            # not before its deliveries had failed for the whole hour
            assert h.time.now - first_failure >= timedelta(hours=1)
            assert got["disabled_at"] == h.time.iso()
            assert got["consecutive_failures"] >= 2
            assert [s["id"] for s in (await h.hooks.get("/subscriptions")).json()] == [sub["id"]]
            tried = len(h.receiver.of(h.account))

            # while disabled: events still become deliveries, none is sent
            for line_id in (2, 3):
                added = await h.shop.post(
                    f"/draft_orders/{draft['id']}/items", json=item(line_id=line_id)
                )
                assert added.status_code == 200, added.text
            for _ in range(3):
                h.time.advance(timedelta(hours=2))
                await passes(worker, 2)
            await pump(worker, lambda: has_deliveries(h.db, h.account, 4), "4 deliveries")
            assert len(h.receiver.of(h.account)) == tried
            listed = (await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries")).json()
            assert sorted(d["event"] for d in listed) == [
                "ping",
                "shopping_draft_add",
                "shopping_draft_update",
                "shopping_draft_update",
            ]
            assert {d["status"] for d in listed} == {"pending"}

            # re-enabled (the secret omitted, so kept): everything pending goes out, in order
            h.receiver.answer = lambda _: Answer(200)
            put = await h.hooks.put(
                f"/subscriptions/{sub['id']}",
                json={
                    "config": {"url": h.receiver.url},
                    "events": ["shopping_draft_add", "shopping_draft_update"],
                    "active": True,
                },
            )
            assert put.status_code == 200, put.text
            assert put.json()["active"] is True
            assert "disabled_at" not in put.json()
            assert put.json()["consecutive_failures"] == 0
            h.time.advance(timedelta(minutes=10))
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 4, "the backlog")
            await passes(worker, 2)
        bodies = [verify(r, pinned=True) for r in h.receiver.delivered(h.account)]
        assert [(b["event"], b["sequence"]) for b in bodies if b["event"] != "ping"] == [
            ("shopping_draft_add", 1),
            ("shopping_draft_update", 2),
            ("shopping_draft_update", 3),
        ]
        assert (await h.hooks.get(f"/subscriptions/{sub['id']}")).json()["active"] is True
