"""`shopping-api worker --once` as an operator runs it: a real process on a SQLite file."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from shopping.db.migrations import upgrade
from tests.support.completion import PinnedClock, account_client, extra_app, new_order
from tests.support.drafts import draft_body, item

TIMEOUT = 60


async def run_worker(database_url: str, cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPPING_")}
    env["SHOPPING_DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shopping.cli",
        "worker",
        "--once",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_worker_once_expires_due_orders_and_prints_counts(
    tmp_path: Path, account: str
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}"
    await asyncio.to_thread(upgrade, url)  # alembic runs its own event loop
    async with extra_app(url, clock=PinnedClock()) as app, account_client(app, account) as api:
        # made in 2001 with a one-day TTL, and a key from then: both long due
        due = await new_order(api, draft_body(item(), options={"order_time_to_live": 86400}))
        closed = await api.post(f"/orders/{due['id']}/close", headers={"Idempotency-Key": "k-2001"})
        assert closed.status_code == 200, closed.text
    async with extra_app(url) as app, account_client(app, account) as api:
        kept = await new_order(api, draft_body(item(), options={"order_time_to_live": 86400}))

    code, out, err = await run_worker(url, tmp_path)

    assert code == 0, err
    counts = json.loads(out.strip().splitlines()[-1])
    assert (counts["orders_expired"], counts["idempotency_keys_purged"]) == (1, 1), counts
    async with extra_app(url) as app, account_client(app, account) as api:
        gone = (await api.get(f"/orders/{due['id']}")).json()
        still = (await api.get(f"/orders/{kept['id']}")).json()
    assert "deleted_at" in gone
    assert "items" not in gone
    assert still == kept  # due tomorrow: untouched
