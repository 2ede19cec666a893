from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from standardwebhooks import Webhook

from shopping.app import create_app
from shopping.config import Settings
from shopping.kit.clock import utc_now
from shopping.worker.build import worker_for
from tests.conftest import TEST_SECRET, bearer
from tests.support.webhooks import pump


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {
            k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:] if ": " in line)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.received.append((headers, body))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    rec = Receiver()
    server = await asyncio.start_server(rec.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield rec, f"http://127.0.0.1:{port}/hook"
    server.close()


@pytest.fixture
async def hooks_app(database_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(
        Settings(
            database_url=database_url, jwt_secret=TEST_SECRET, webhook_allowed_hosts="127.0.0.1"
        )
    )
    yield app
    await app.state.db.dispose()


async def test_delivery_signed(
    hooks_app: FastAPI, account: str, receiver: tuple[Receiver, str]
) -> None:
    rec, url = receiver
    headers = bearer(hooks_app, account, "admin:shopping", "admin:hooks")
    secret = "s3cret-value-123"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=hooks_app),
        base_url=f"http://t/v1/accounts/{account}",
        headers=headers,
    ) as c:
        sub = await c.post(
            "/hooks/subscriptions",
            json={"config": {"url": url, "secret": secret}, "events": ["shopping_draft_add"]},
        )
        assert sub.status_code == 200, sub.text
        draft = await c.post("/shopping/draft_orders", json={"order": {"currency": "NOK"}})
        assert draft.status_code == 200
        state = hooks_app.state
        async with worker_for(state.settings, state.db, utc_now) as worker:
            # other tests' outbox backlog may come first: wait for ours, bounded
            await pump(worker, lambda: len(rec.received) >= 2, "ping and draft add")
        events = [json.loads(body)["event"] for _, body in rec.received]
        assert events == ["ping", "shopping_draft_add"], events
        h, body = rec.received[1]
        assert h["event-signature"] == hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
        wh = Webhook("whsec_" + base64.b64encode(secret.encode()).decode())
        payload = wh.verify(
            body, {k: h[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        )
        assert payload["draft"]["id"] == draft.json()["id"]
        feed = await c.get("/shopping/events")
        assert [e["event"] for e in feed.json()["events"]] == ["shopping_draft_add"]
