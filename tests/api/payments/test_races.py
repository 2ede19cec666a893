"""Concurrent captures cannot overshoot the ledger (issue 4, "Done when").

One line authorized for 10000; 50 captures of 300 fired at once. Exactly 33 fit (9900), the
rest are 409, and the order's figures, its operation lists and the `payment_operations` table
all agree afterwards. Requests are gathered on one event loop against the same ASGI app (an
in-flight probe on the write runner proves they overlapped); on Postgres a second variant sends
them from separate apps, each with its own engine and pool, as separate server processes would.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shopping.models import PaymentOperationRow
from tests.support.completion import InFlight, account_client, extra_app
from tests.support.payments import (
    authorized_order,
    details,
    error,
    fetch,
    listed,
    recomputed_details,
)

Json = dict[str, Any]

N, EACH, AUTHORIZED = 50, 300, 10000
FITS = AUTHORIZED // EACH  # 33


@pytest.fixture
def probe(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> InFlight:
    writes = app.state.writes
    in_flight = InFlight()
    monkeypatch.setattr(writes, "run", in_flight.wrap(writes.run))
    return in_flight


def capture(client: httpx.AsyncClient, order_id: str) -> Any:
    return client.post(
        f"/orders/{order_id}/captures", json={"items": [{"line_id": 1, "amount": EACH}]}
    )


async def stored_operations(app: FastAPI, account: str, order_uuid: str) -> list[Json]:
    async with app.state.db.read() as conn:
        rows = await conn.all(
            select(PaymentOperationRow).where(
                PaymentOperationRow.account_id == account,
                PaymentOperationRow.order_id == order_uuid,
            )
        )
        return [dict(row._asdict()) for row in rows]


async def assert_ledger_consistent(
    api: httpx.AsyncClient, app: FastAPI, account: str, order: Json, responses: list[Any]
) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 409}, [
        r.text for r in responses if r.status_code not in (200, 409)
    ]
    assert statuses == {200: FITS, 409: N - FITS}, statuses
    assert {error(r)["code"] for r in responses if r.status_code == 409} == {"AMOUNT_EXCEEDS_LIMIT"}
    won = [r.json() for r in responses if r.status_code == 200]
    assert sum(op["amount"] for op in won) == FITS * EACH <= AUTHORIZED

    final = await fetch(api, order["id"])
    captures = await listed(api, order["id"], "captures")
    authorizations = await listed(api, order["id"], "authorizations")
    assert sorted(op["id"] for op in captures) == sorted(op["id"] for op in won)
    assert final["version"] == order["version"] + FITS
    assert final["payment_details"] == recomputed_details(
        {**final, "captures": captures, "authorizations": authorizations}
    )
    assert final["payment_details"] == details(AUTHORIZED, AUTHORIZED, captured=FITS * EACH)
    assert final["payment_status"] == "partially_paid"

    rows = await stored_operations(app, account, order["id"])
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows) == len(captures) + len(authorizations)
    for kind, operations in (("capture", captures), ("authorization", authorizations)):
        for op in operations:
            row = by_id[op["id"]]
            assert (row["kind"], row["amount"], row["success"]) == (kind, op["amount"], True)
            assert row["operation"] == {k: v for k, v in op.items() if k != "_links"}


async def test_concurrent_captures_never_overshoot(
    api: httpx.AsyncClient, app: FastAPI, account: str, probe: InFlight
) -> None:
    order = await authorized_order(api, (AUTHORIZED,))
    probe.reset()

    responses = await asyncio.gather(*(capture(api, order["id"]) for _ in range(N)))

    assert probe.calls == N
    assert probe.most > 1, "the captures did not overlap"
    await assert_ledger_consistent(api, app, account, order, list(responses))


@pytest.mark.postgres_only
async def test_concurrent_captures_from_separate_servers_never_overshoot(
    api: httpx.AsyncClient, app: FastAPI, database_url: str, backend: str, account: str
) -> None:
    if backend != "postgres":
        pytest.skip("separate connection pools racing on row locks: Postgres")
    order = await authorized_order(api, (AUTHORIZED,))
    async with AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(extra_app(database_url)) for _ in range(4)]
        clients = [await stack.enter_async_context(account_client(a, account)) for a in apps]

        responses = await asyncio.gather(
            *(capture(clients[n % len(clients)], order["id"]) for n in range(N))
        )

    await assert_ledger_consistent(api, app, account, order, list(responses))
