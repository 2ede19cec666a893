"""Idempotency keys are kept 7 days (issue 3 §4), then the sweep purges them."""

from __future__ import annotations

from datetime import timedelta

from tests.support.completion import days, new_order, stored_key
from tests.worker.conftest import Pinned

SECOND = timedelta(seconds=1)


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def test_keys_are_kept_seven_days_then_purged(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    order = await new_order(api)
    closed = await api.post(f"/orders/{order['id']}/close", headers=keyed("old"))
    assert closed.status_code == 200, closed.text
    clock.advance(days(3))
    reopened = await api.post(f"/orders/{order['id']}/open", headers=keyed("newer"))
    assert reopened.status_code == 200, reopened.text

    clock.advance(days(4) - SECOND)  # a second short of seven days after "old"
    assert (await pinned.sweep())["idempotency_keys_purged"] == 0
    assert await stored_key(pinned.app, pinned.account, "old") is not None
    replay = await api.post(f"/orders/{order['id']}/close", headers=keyed("old"))
    assert replay.headers["Idempotent-Replayed"] == "true"

    clock.advance(2 * SECOND)
    counts = await pinned.sweep()

    assert (counts["orders_expired"], counts["idempotency_keys_purged"]) == (0, 1)
    assert await stored_key(pinned.app, pinned.account, "old") is None
    assert await stored_key(pinned.app, pinned.account, "newer") is not None
    # forgotten: the same key now runs a request afresh
    again = await api.post(f"/orders/{order['id']}/close", headers=keyed("old"))
    assert again.status_code == 200, again.text
    assert "Idempotent-Replayed" not in again.headers
    assert again.json()["version"] == 4
