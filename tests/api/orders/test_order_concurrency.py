"""Concurrent writers of one order queue up: no lost comment, no duplicate version or event.

SQLite serializes writers with BEGIN IMMEDIATE; Postgres with the order's row lock.
"""

from __future__ import annotations

import asyncio

import httpx

from tests.support.orders import completed_order, get_order


async def test_concurrent_comments_and_service_events_lose_nothing(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api)
    url = f"/orders/{order['id']}"

    responses = await asyncio.gather(
        *(api.post(f"{url}/comments", json={"body": f"c{n}"}) for n in range(12)),
        *(
            api.post(f"{url}/events", json={"service": f"s{n}", "service_status": "ok"})
            for n in range(12)
        ),
    )

    assert [r.status_code for r in responses] == [200] * 24, [r.text for r in responses]
    # each comment response shows the order right after its own change
    assert sorted(r.json()["version"] for r in responses[:12]) == list(range(2, 14))
    final = await get_order(api, order["id"], include_events="true")
    assert final["version"] == 13
    assert sorted(c["body"] for c in final["comments"]) == sorted(f"c{n}" for n in range(12))
    api_versions = [e["version"] for e in final["events"] if e["event_type"] == "api-event"]
    assert api_versions == list(range(1, 14))
    services = [e["service"] for e in final["events"] if e["event_type"] == "service-event"]
    assert sorted(services) == sorted(f"s{n}" for n in range(12))
    assert len({e["id"] for e in final["events"]}) == 25


async def test_concurrent_updates_with_the_same_version_let_one_win(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api)

    responses = await asyncio.gather(
        *(
            api.put(f"/orders/{order['id']}", json={"comment": f"w{n}", "version": 1})
            for n in range(6)
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409, 409, 409], [r.text for r in responses]
    [winner] = [r.json() for r in responses if r.status_code == 200]
    final = await get_order(api, order["id"])
    assert final["version"] == 2
    assert final["comment"] == winner["comment"]
