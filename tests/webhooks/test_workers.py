"""Workers side by side, workers racing writers, and a worker killed mid-delivery.

* Two workers (each with its own engine, as two processes would have) claim with leases and
  `SKIP LOCKED`: every attempt is made by exactly one of them.
* A worker running while one draft is changed concurrently still delivers its events in
  `sequence` order.
* `shopping-api worker` killed while a request hangs leaves a lease; once it runs out, a new
  worker sends the delivery again and it arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from shopping.db import create_database
from shopping.kit.clock import utc_now
from shopping.worker.build import worker_for
from shopping.worker.sweeps import Worker
from tests.conftest import TEST_SECRET, project_root
from tests.support.drafts import create_draft, item
from tests.support.webhooks import (
    HANG,
    WAIT,
    Answer,
    attempts_of,
    deliveries_of,
    verify,
)
from tests.webhooks.conftest import Hooks

Json = dict[str, Any]


def small_batches(worker: Worker, batch: int) -> None:
    """Claim a few deliveries at a time, so two workers interleave over many passes."""
    worker.relay.config = replace(worker.relay.config, batch=batch)


async def test_two_workers_never_send_the_same_attempt_twice(hooks: Hooks) -> None:
    await hooks.subscribe(["shopping_draft_add", "shopping_draft_update"])
    drafts = [await create_draft(hooks.shop) for _ in range(15)]
    for draft in drafts:
        for line_id in (2, 3):
            added = await hooks.shop.post(
                f"/draft_orders/{draft['id']}/items", json=item(line_id=line_id)
            )
            assert added.status_code == 200, added.text
    expected = 1 + len(drafts) * 3  # the ping, and three events per draft
    hooks.receiver.delay = 0.01  # requests in flight overlap the other worker's claims

    other_db = create_database(hooks.settings)  # a second "process"
    attempted = [0, 0]
    try:
        async with (
            worker_for(hooks.settings, hooks.db, utc_now) as one,
            worker_for(hooks.settings, other_db, utc_now) as two,
        ):
            small_batches(one, 4)
            small_batches(two, 4)
            deadline = time.monotonic() + WAIT
            while len(hooks.receiver.of(hooks.account)) < expected:
                assert time.monotonic() < deadline, len(hooks.receiver.of(hooks.account))
                counts = await asyncio.gather(one.run_once(), two.run_once())
                for n, count in enumerate(counts):
                    attempted[n] += count["deliveries_attempted"]
            for _ in range(3):  # and nothing more comes
                await asyncio.gather(one.run_once(), two.run_once())
    finally:
        await other_db.dispose()

    requests = hooks.receiver.of(hooks.account)
    assert len(requests) == expected
    assert all(r.ok for r in requests)
    per_delivery = Counter(r.headers["event-delivery"] for r in requests)
    assert set(per_delivery.values()) == {1}, per_delivery.most_common(3)
    per_event = Counter(r.json.get("event_id") for r in requests if r.event != "ping")
    assert set(per_event.values()) == {1}
    assert all(n > 0 for n in attempted), attempted  # both workers really worked
    rows = await deliveries_of(hooks.db, hooks.account)
    assert len(rows) == expected
    assert {(r["status"], r["attempts"]) for r in rows} == {("delivered", 1)}
    for draft in drafts:
        sequences = [
            r.json["sequence"]
            for r in requests
            if r.event != "ping" and r.json["draft"]["id"] == draft["id"]
        ]
        assert sequences == [1, 2, 3], (draft["id"], sequences)


async def test_a_draft_changed_concurrently_is_delivered_in_sequence(hooks: Hooks) -> None:
    await hooks.subscribe(["shopping_draft_add", "shopping_draft_update"])
    draft = await create_draft(hooks.shop, {"order": {"currency": "NOK", "items": []}})
    stop = asyncio.Event()

    async def keep_working() -> None:
        async with hooks.worker() as worker:
            small_batches(worker, 3)
            while not stop.is_set():
                await worker.run_once()
                await asyncio.sleep(0)

    background = asyncio.create_task(keep_working())
    try:
        path = f"/draft_orders/{draft['id']}/items"
        responses = await asyncio.gather(
            *(hooks.shop.post(path, json=item(line_id=n)) for n in range(1, 21))
        )
        assert [r.status_code for r in responses] == [200] * 20
        await hooks.receiver.wait_until(
            lambda: len(hooks.receiver.bodies(hooks.account)) >= 21, "21 events"
        )
    finally:
        stop.set()
        await asyncio.wait_for(background, WAIT)
    bodies = [verify(r) for r in hooks.receiver.delivered(hooks.account) if r.event != "ping"]
    assert [b["sequence"] for b in bodies] == list(range(1, 22))
    assert [b["draft"]["version"] for b in bodies] == list(range(1, 22))


# ---- a worker process killed mid-delivery ------------------------------------------------

LEASE_SECONDS = 3


async def start_worker(database_url: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPPING_")}
    env |= {
        "SHOPPING_DATABASE_URL": database_url,
        "SHOPPING_JWT_SECRET": TEST_SECRET,
        "SHOPPING_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "SHOPPING_WEBHOOK_TIMEOUT_SECONDS": "1",
        "SHOPPING_WEBHOOK_LEASE_SECONDS": str(LEASE_SECONDS),
        "SHOPPING_RELAY_INTERVAL_SECONDS": "0.1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shopping.cli",
        "worker",
        cwd=project_root(),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def stop(process: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_a_worker_killed_mid_delivery_is_replaced_after_its_lease(
    hooks: Hooks, database_url: str
) -> None:
    await hooks.subscribe(["shopping_draft_add"])
    draft = await create_draft(hooks.shop)
    hooks.receiver.answer = lambda _: HANG  # accept, never answer

    def arrived(*, ok: bool) -> list[Json]:
        return [
            r.json
            for r in hooks.receiver.of(hooks.account)
            if r.event == "shopping_draft_add" and (r.ok or not ok)
        ]

    first = await start_worker(database_url)
    try:
        await hooks.receiver.wait_until(lambda: arrived(ok=False) != [], "the hanging request")
        first.kill()  # SIGKILL: no chance to record anything
        await asyncio.wait_for(first.wait(), WAIT)
    finally:
        await stop(first, signal.SIGKILL)
    killed_at = datetime.now(UTC)
    [hung] = arrived(ok=False)
    [row] = await deliveries_of(hooks.db, hooks.account, event="shopping_draft_add")
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert row["locked_until"] is not None
    assert row["locked_until"] > killed_at  # leased by the dead worker

    hooks.receiver.answer = lambda _: Answer(200, b"got it")
    second = await start_worker(database_url)
    try:
        await hooks.receiver.wait_until(lambda: arrived(ok=True) != [], "the redelivery")
        delivered_at = datetime.now(UTC)
    finally:
        await stop(second)

    [body] = arrived(ok=True)
    assert body["event_delivery"] == hung["event_delivery"]  # the same delivery, sent again
    assert body["draft"]["id"] == draft["id"]
    verify(hooks.receiver.delivered(hooks.account)[-1])
    assert delivered_at >= row["locked_until"]  # not before the dead worker's lease ran out
    [done] = await deliveries_of(hooks.db, hooks.account, event="shopping_draft_add")
    assert (done["status"], done["attempts"]) == ("delivered", 1)
    log = await attempts_of(hooks.db, hooks.account, done["id"])
    assert [(a["attempt"], a["status_code"]) for a in log] == [(1, 200)]
    assert row["locked_until"] <= log[0]["started_at"]
