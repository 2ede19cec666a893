"""A key whose first request has not finished: duplicates get 409 (or, once it finishes, the
replay); a claim whose lease ran out (the process died) is taken over; a request that fails
unexpectedly releases its claim so it can be retried.

These tests build their own app on the test database with `idempotency_wait_seconds=0`, so a
duplicate answers at once instead of waiting for the original.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.completion import (
    account_client,
    complete,
    complete_url,
    error_code,
    extra_app,
    fingerprint,
    ids,
    list_orders,
    plant_claim,
    stored_key,
)
from tests.support.drafts import create_draft, get_draft

REPLAYED = "Idempotent-Replayed"
TIMEOUT = 10


class Gate:
    """Holds every call of the wrapped coroutine function until `release`."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.opened = asyncio.Event()

    def wrap(self, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def gated(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            await asyncio.wait_for(self.opened.wait(), TIMEOUT)
            return await function(*args, **kwargs)

        return gated

    async def wait_entered(self) -> None:
        await asyncio.wait_for(self.entered.wait(), TIMEOUT)

    def release(self) -> None:
        self.opened.set()


@pytest.fixture
async def quick_app(database_url: str) -> AsyncIterator[FastAPI]:
    async with extra_app(database_url, idempotency_wait_seconds=0) as app:
        yield app


@pytest.fixture
async def client(quick_app: FastAPI, account: str) -> AsyncIterator[httpx.AsyncClient]:
    async with account_client(quick_app, account, raise_app_exceptions=False) as api:
        yield api


def complete_path(account: str, draft_id: str) -> str:
    return f"/v1/accounts/{account}/shopping{complete_url(draft_id)}"


async def test_a_duplicate_while_the_first_holds_its_claim_is_409(
    quick_app: FastAPI, client: httpx.AsyncClient
) -> None:
    """Held between claiming the key and running: no database lock is held, so this shows
    the runner's own answer on both databases."""
    draft = await create_draft(client)
    gate = Gate()
    writes = quick_app.state.writes
    # no public seam between claiming a key and running the use case: the test gates it
    writes._run_claimed = gate.wrap(writes._run_claimed)  # noqa: SLF001

    first = asyncio.create_task(complete(client, draft["id"], key="slow"))
    try:
        await gate.wait_entered()
        duplicate = await complete(client, draft["id"], key="slow")
        different = await client.post(
            f"/draft_orders/{draft['id']}/items",
            json={"gross_amount": 1, "tax_lines": [{"percentage": 0}]},
            headers={"Idempotency-Key": "slow"},
        )
    finally:
        gate.release()
    original = await asyncio.wait_for(first, TIMEOUT)

    assert duplicate.status_code == 409, duplicate.text
    assert error_code(duplicate) == "IDEMPOTENT_REQUEST_IN_PROGRESS"
    assert duplicate.headers["Retry-After"] == "1"
    assert different.status_code == 422, different.text
    assert original.status_code == 200, original.text
    assert REPLAYED not in original.headers
    replay = await complete(client, draft["id"], key="slow")
    assert replay.status_code == 200
    assert replay.headers[REPLAYED] == "true"
    assert replay.json() == original.json()
    assert ids(await list_orders(client)) == ids(original.json()["orders"])


async def test_a_duplicate_while_the_first_is_inside_the_completion(
    quick_app: FastAPI, client: httpx.AsyncClient, backend: str
) -> None:
    """Held inside the use case, in its write transaction. Postgres: the duplicate's claim
    is independent of the draft's row lock, so it sees the key in progress → 409. SQLite has
    one writer at a time: the duplicate queues behind the first's transaction and then gets
    the replay."""
    draft = await create_draft(client)
    gate = Gate()
    completion = quick_app.state.completion
    completion.complete = gate.wrap(completion.complete)

    first = asyncio.create_task(complete(client, draft["id"], key="inside"))
    try:
        await gate.wait_entered()
        duplicate_task = asyncio.create_task(complete(client, draft["id"], key="inside"))
        if backend == "postgres":
            duplicate = await asyncio.wait_for(duplicate_task, TIMEOUT)
        else:
            await asyncio.sleep(0.3)
            assert not duplicate_task.done(), "SQLite: the duplicate should queue for the lock"
    finally:
        gate.release()
    original = await asyncio.wait_for(first, TIMEOUT)
    assert original.status_code == 200, original.text

    if backend == "postgres":
        assert duplicate.status_code == 409, duplicate.text
        assert error_code(duplicate) == "IDEMPOTENT_REQUEST_IN_PROGRESS"
    else:
        duplicate = await asyncio.wait_for(duplicate_task, TIMEOUT)
        assert duplicate.status_code == 200, duplicate.text
        assert duplicate.headers[REPLAYED] == "true"
        assert duplicate.json() == original.json()
    assert ids(await list_orders(client)) == ids(original.json()["orders"])


async def test_a_live_claim_answers_409_and_runs_nothing(
    quick_app: FastAPI, client: httpx.AsyncClient, account: str
) -> None:
    draft = await create_draft(client)
    request_hash = fingerprint("PUT", complete_path(account, draft["id"]))
    await plant_claim(
        quick_app,
        account,
        "live",
        request_hash,
        locked_until=datetime.now(UTC) + timedelta(minutes=5),
    )

    response = await complete(client, draft["id"], key="live")

    assert response.status_code == 409, response.text
    assert error_code(response) == "IDEMPOTENT_REQUEST_IN_PROGRESS"
    assert (await get_draft(client, draft["id"]))["status"] == "open"
    assert await list_orders(client) == []


async def test_an_abandoned_claim_is_taken_over(
    app: FastAPI, api: httpx.AsyncClient, account: str
) -> None:
    draft = await create_draft(api)
    request_hash = fingerprint("PUT", complete_path(account, draft["id"]))
    await plant_claim(
        app,
        account,
        "abandoned",
        request_hash,
        locked_until=datetime.now(UTC) - timedelta(seconds=1),
    )

    response = await complete(api, draft["id"], key="abandoned")

    assert response.status_code == 200, response.text
    assert REPLAYED not in response.headers
    assert ids(await list_orders(api)) == ids(response.json()["orders"])
    stored = await stored_key(app, account, "abandoned")
    assert stored is not None
    assert (stored["state"], stored["status_code"]) == ("completed", 200)
    replay = await complete(api, draft["id"], key="abandoned")
    assert replay.headers[REPLAYED] == "true"


async def test_an_abandoned_claim_for_another_request_is_still_422(
    app: FastAPI, api: httpx.AsyncClient, account: str
) -> None:
    draft = await create_draft(api)
    await plant_claim(
        app,
        account,
        "abandoned-other",
        fingerprint("PUT", complete_path(account, "some-other-draft")),
        locked_until=datetime.now(UTC) - timedelta(seconds=1),
    )

    response = await complete(api, draft["id"], key="abandoned-other")

    assert response.status_code == 422, response.text
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_an_unexpected_failure_releases_the_key(
    quick_app: FastAPI, client: httpx.AsyncClient, account: str
) -> None:
    draft = await create_draft(client)
    completion = quick_app.state.completion
    real = completion.complete
    failures = 0

    async def fail_once(*args: Any, **kwargs: Any) -> Any:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise RuntimeError("the database went away")
        return await real(*args, **kwargs)

    completion.complete = fail_once

    failed = await complete(client, draft["id"], key="flaky")
    assert failed.status_code == 500, failed.text
    assert await stored_key(quick_app, account, "flaky") is None
    assert (await get_draft(client, draft["id"]))["status"] == "open"

    retried = await complete(client, draft["id"], key="flaky")

    assert retried.status_code == 200, retried.text
    assert REPLAYED not in retried.headers
    assert len(await list_orders(client)) == 1
