"""When a subscription is switched off, and what happens to the deliveries of a deleted one.

Disabling is judged per subscription over time, not per attempt: many deliveries failing in
parallel while a receiver is down for an hour change nothing, and one success starts the
failing period again. Every test runs on a pinned clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from tests.support.drafts import create_draft, item
from tests.support.webhooks import Answer, deliveries_of, feed, passes, pump, verify
from tests.webhooks.conftest import Hooks, PinnedFactory

Json = dict[str, Any]
DRAFTS = 12
UPDATES = 2  # per draft, after its add


async def busy_drafts(h: Hooks) -> None:
    """DRAFTS drafts, each with an add and UPDATES updates, written concurrently."""

    async def one() -> None:
        draft = await create_draft(h.shop)
        for line_id in range(2, 2 + UPDATES):
            added = await h.shop.post(
                f"/draft_orders/{draft['id']}/items", json=item(line_id=line_id)
            )
            assert added.status_code == 200, added.text

    await asyncio.gather(*(one() for _ in range(DRAFTS)))


async def subscription(h: Hooks, hook_id: str) -> Json:
    got: Json = (await h.hooks.get(f"/subscriptions/{hook_id}")).json()
    return got


async def test_an_hour_of_500s_under_parallel_traffic_loses_nothing_and_disables_nothing(
    pinned_hooks: PinnedFactory,
) -> None:
    async with pinned_hooks() as h:  # the default period: 3 days
        sub = await h.subscribe(["shopping_draft_add", "shopping_draft_update"])
        await busy_drafts(h)
        h.receiver.answer = lambda _: Answer(500, b"restarting")
        down_since = h.time.now

        async with h.worker() as worker:
            while h.time.now - down_since < timedelta(hours=1):
                await passes(worker, 2)
                h.time.advance(timedelta(minutes=2))
            # far more failed attempts than any count-based rule would allow, sent in parallel
            assert len(h.receiver.of(h.account)) >= 3 * DRAFTS
            got = await subscription(h, sub["id"])
            assert got["active"] is True
            assert "disabled_at" not in got
            await busy_drafts(h)  # more traffic while it is still down

            h.receiver.answer = lambda _: Answer(200)
            expected = 1 + 2 * DRAFTS * (1 + UPDATES)  # the ping and every event
            for _ in range(20):
                h.time.advance(timedelta(hours=1))
                await passes(worker, 1)
            await pump(
                worker, lambda: len(h.receiver.delivered(h.account)) == expected, "everything"
            )
            await passes(worker, 2)

        bodies = [verify(r, pinned=True) for r in h.receiver.delivered(h.account)]
        assert len(bodies) == expected
        events = [b for b in bodies if b["event"] != "ping"]
        fed = [e["event_id"] for e in await feed(h.shop, expected - 1)]
        assert sorted(b["event_id"] for b in events) == sorted(fed)  # each once, none lost
        per_draft: dict[str, list[int]] = {}
        for body in events:
            per_draft.setdefault(body["draft"]["id"], []).append(body["sequence"])
        assert len(per_draft) == 2 * DRAFTS
        assert all(s == list(range(1, 2 + UPDATES)) for s in per_draft.values()), per_draft
        got = await subscription(h, sub["id"])
        assert got["active"] is True
        assert got["consecutive_failures"] == 0


async def test_one_success_starts_the_failing_period_again(pinned_hooks: PinnedFactory) -> None:
    async with pinned_hooks(webhook_disable_after_failing_hours=1) as h:
        sub = await h.subscribe(["shopping_draft_add", "shopping_draft_update"])
        h.receiver.answer = lambda _: Answer(500)
        async with h.worker() as worker:
            await pump(worker, lambda: len(h.receiver.of(h.account)) == 1, "the ping fails")
            start = h.time.now
            while h.time.now - start < timedelta(minutes=50):
                h.time.advance(timedelta(minutes=5))
                await passes(worker, 1)
            assert (await subscription(h, sub["id"]))["active"] is True

            # one success (the ping, retried) …
            h.receiver.answer = lambda _: Answer(200)
            h.time.advance(timedelta(minutes=30))
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 1, "the ping")
            # … then 50 more minutes of failures: never an hour without a success
            h.receiver.answer = lambda _: Answer(500)
            await create_draft(h.shop)
            await pump(worker, lambda: len(h.receiver.of(h.account)) > 2, "the add fails")
            again = h.time.now
            while h.time.now - again < timedelta(minutes=50):
                h.time.advance(timedelta(minutes=5))
                await passes(worker, 1)
            assert (await subscription(h, sub["id"]))["active"] is True
            while (await subscription(h, sub["id"]))["active"]:
                assert h.time.now - again < timedelta(hours=3), "never disabled"
                h.time.advance(timedelta(minutes=10))
                await passes(worker, 1)
            assert h.time.now - again >= timedelta(hours=1)


async def test_deleting_a_subscription_cancels_its_pending_deliveries(
    pinned_hooks: PinnedFactory,
) -> None:
    async with pinned_hooks() as h:
        sub = await h.subscribe(["shopping_draft_add", "shopping_draft_update"])
        kept = await h.subscribe(["shopping_draft_add"])
        h.receiver.answer = lambda _: Answer(500)
        async with h.worker() as worker:
            await create_draft(h.shop)
            await pump(
                worker,
                lambda: len(h.receiver.of(h.account)) >= 4,
                "pings and adds tried",
            )
            deleted = await h.hooks.delete(f"/subscriptions/{sub['id']}")
            assert deleted.status_code == 200, deleted.text
            mine = await deliveries_of(h.db, h.account, subscription_id=sub["id"])
            assert mine
            assert {d["status"] for d in mine} == {"cancelled"}
            others = await deliveries_of(h.db, h.account, subscription_id=kept["id"])
            assert {d["status"] for d in others} == {"pending"}
            tried = len(h.receiver.of(h.account))
            h.time.advance(timedelta(hours=1))
            h.receiver.answer = lambda _: Answer(200)
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 2, "kept ones")
            await passes(worker, 2)
        assert {r.json.get("hook_id") for r in h.receiver.delivered(h.account)} <= {
            kept["id"],
            None,
        }
        assert len(h.receiver.of(h.account)) == tried + 2
