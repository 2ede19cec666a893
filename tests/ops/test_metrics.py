"""`GET /metrics`: request counts and latencies by route template, method and status; the
webhook backlog and delivery attempts, read from the database at scrape time."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import values
from sqlalchemy import delete, insert

from shopping.db import Database
from shopping.db.migrations import upgrade
from shopping.kit.clock import utc_now
from shopping.models import DeliveryAttemptRow, DeliveryRow, SubscriptionRow
from shopping.observability.metrics import exposition
from shopping.observability.multiprocess import MULTIPROC_ENV
from shopping.worker.build import worker_for
from tests.ops.conftest import client, ops_app, sample, scrape
from tests.support.completion import PinnedClock
from tests.support.drafts import create_draft

ORDER_ROUTE = "/v1/accounts/{aid}/shopping/orders/{order_id}"
DRAFTS_ROUTE = "/v1/accounts/{aid}/shopping/draft_orders"


async def test_metrics_need_no_token_and_are_prometheus_text(http: httpx.AsyncClient) -> None:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE shopping_http_request_duration_seconds histogram" in response.text
    assert "# TYPE shopping_http_requests_total counter" in response.text
    assert "shopping_metrics_database_up 1.0" in response.text


async def test_requests_are_counted_and_timed_by_route_template_method_and_status(
    http: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    before = await scrape(http)
    for n in range(3):
        assert (await api.get(f"/orders/missing-{n}")).status_code == 404
    await create_draft(api)
    await http.request("BREW", "/v1/nowhere")
    after = await scrape(http)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    missing = {"method": "GET", "route": ORDER_ROUTE, "status": "404"}
    created = {"method": "POST", "route": DRAFTS_ROUTE, "status": "200"}
    assert delta("shopping_http_requests_total", **missing) == 3
    assert delta("shopping_http_request_duration_seconds_count", **missing) == 3
    assert delta("shopping_http_request_duration_seconds_bucket", le="+Inf", **missing) == 3
    assert delta("shopping_http_request_duration_seconds_sum", **missing) > 0
    assert delta("shopping_http_requests_total", **created) == 1
    # unknown methods and paths do not make new label values
    odd = {"method": "OTHER", "route": "<unmatched>"}
    assert (
        delta("shopping_http_requests_total", status="404", **odd)
        + delta("shopping_http_requests_total", status="405", **odd)
        == 1
    )
    assert not any("missing-" in str(key) for key in after)
    scrapes = {"method": "GET", "route": "/metrics", "status": "200"}
    assert delta("shopping_http_requests_total", **scrapes) == 1  # the first scrape


@asynccontextmanager
async def webhook_rows(db: Database, account: str, now: datetime) -> AsyncIterator[None]:
    """An active subscription with a delivery pending for an hour and three attempts
    (200, 503, a connection error); removed afterwards."""
    sub_id, delivery_id = secrets.token_hex(8), secrets.token_hex(8)
    hour_ago = now - timedelta(hours=1)
    async with db.write() as conn:
        await conn.execute(
            insert(SubscriptionRow).values(
                account_id=account, id=sub_id, url="https://hooks.invalid/", secret=None,
                events=["shopping_draft_order_add"], active=True, consecutive_failures=0,
                created_at=hour_ago, updated_at=hour_ago, document={},
            )
        )  # fmt: skip
        await conn.execute(
            insert(DeliveryRow).values(
                account_id=account, id=delivery_id, subscription_id=sub_id,
                event="shopping_draft_order_add", status="pending", attempts=3,
                next_attempt_at=now + timedelta(days=365), created_at=hour_ago,
            )
        )  # fmt: skip
        for attempt, status, error in [(1, 200, None), (2, 503, None), (3, None, "ConnectError")]:
            await conn.execute(
                insert(DeliveryAttemptRow).values(
                    account_id=account, delivery_id=delivery_id, attempt=attempt,
                    started_at=hour_ago, duration_ms=5, status_code=status, error=error,
                )
            )  # fmt: skip
    try:
        yield
    finally:
        async with db.write() as conn:
            for table in (DeliveryAttemptRow, DeliveryRow, SubscriptionRow):
                await conn.execute(delete(table).where(table.account_id == account))


async def test_backlog_and_attempts_come_from_the_database(
    app: FastAPI, http: httpx.AsyncClient, api: httpx.AsyncClient, account: str
) -> None:
    before = await scrape(http)
    await create_draft(api)  # one outbox message, not yet fanned out (no worker runs here)
    async with webhook_rows(app.state.db, account, utc_now()):
        after = await scrape(http)
    cleaned = await scrape(http)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("shopping_outbox_pending_messages") == 1
    assert delta("shopping_webhook_deliveries_pending", subscription="active") == 1
    age = sample(
        after, "shopping_webhook_oldest_pending_delivery_age_seconds", subscription="active"
    )
    assert age >= 3600
    for result in ("2xx", "other_status", "error"):
        assert delta("shopping_webhook_delivery_attempts_total", result=result) == 1
        assert sample(cleaned, "shopping_webhook_delivery_attempts_total", result=result) == (
            sample(before, "shopping_webhook_delivery_attempts_total", result=result)
        )


async def test_backlog_values_on_a_fresh_database(tmp_path: Path, account: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'metrics.db'}"
    await asyncio.to_thread(upgrade, url)
    clock = PinnedClock()
    async with ops_app(url, clock=clock) as app, client(app, account) as api:
        empty = await scrape(api)
        assert sample(empty, "shopping_outbox_pending_messages") == 0
        assert sample(empty, "shopping_outbox_oldest_pending_message_age_seconds") == 0
        for state in ("active", "inactive"):
            assert sample(empty, "shopping_webhook_deliveries_pending", subscription=state) == 0
        assert sample(empty, "shopping_webhook_delivery_attempts_total", result="2xx") == 0

        await create_draft(api)
        clock.advance(timedelta(seconds=90))
        await create_draft(api)
        clock.advance(timedelta(seconds=10))
        waiting = await scrape(api)
        assert sample(waiting, "shopping_outbox_pending_messages") == 2
        assert sample(waiting, "shopping_outbox_oldest_pending_message_age_seconds") == 100

        async with worker_for(app.state.settings, app.state.db, clock) as worker:
            await worker.relay.fan_out()  # no subscriptions: nothing to deliver
        async with webhook_rows(app.state.db, account, clock()):
            fanned = await scrape(api)
    assert sample(fanned, "shopping_outbox_pending_messages") == 0
    assert sample(fanned, "shopping_outbox_oldest_pending_message_age_seconds") == 0
    assert sample(fanned, "shopping_webhook_deliveries_pending", subscription="active") == 1
    assert sample(fanned, "shopping_webhook_deliveries_pending", subscription="inactive") == 0
    assert (
        sample(
            fanned, "shopping_webhook_oldest_pending_delivery_age_seconds", subscription="active"
        )
        == 3600
    )
    assert {
        result: sample(fanned, "shopping_webhook_delivery_attempts_total", result=result)
        for result in ("2xx", "other_status", "error")
    } == {"2xx": 1, "other_status": 1, "error": 1}


async def test_without_the_database_the_request_metrics_are_still_served(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}"
    async with ops_app(url) as app, client(app) as http:
        await http.get("/health/live")
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "shopping_metrics_database_up 0.0" in response.text
    assert 'route="/health/live"' in response.text
    assert "shopping_outbox_pending_messages" not in response.text


def test_a_worker_file_still_being_created_does_not_break_the_scrape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In multi-worker mode each worker creates its metrics file empty and sizes it a moment
    later; a scrape in between still answers, with the other workers' figures."""
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"")  # being created right now
    other_worker = values.MultiProcessValue(process_identifier=lambda: 4343)  # type: ignore[no-untyped-call]
    counted = other_worker("counter", "shopping_probe_total", "shopping_probe_total", (), (), "")
    counted.inc(3)

    text = exposition(None).decode()

    assert "shopping_probe_total 3.0" in text
