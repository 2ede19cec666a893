"""Helpers for webhook tests: a loopback HTTP receiver, signature checks, and driving workers.

The receiver is a bare `asyncio` server (no framework between the wire and the test), so the
test sees the exact bytes a subscriber would see. It records every request it got, with the
status it answered, and answers as `receiver.answer(request)` says: a status, or `HANG`
(accept the request and never answer).

Every database in a test session is shared by all tests, and a worker sends whatever is due in
it. Requests are therefore looked at per account (`receiver.of(account)`), and each test's
subscriptions are soft-deleted when it ends, so nothing a test left behind is sent later.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import inspect
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select, update
from standardwebhooks import Webhook

from shopping.db import Database
from shopping.kit.clock import utc_now
from shopping.models import DeliveryAttemptRow, DeliveryRow, SubscriptionRow
from shopping.worker.sweeps import Worker

Json = dict[str, Any]

SHOPPING_EVENTS = (
    "shopping_draft_add",
    "shopping_draft_update",
    "shopping_draft_complete",
    "shopping_order_update",
    "shopping_order_event_add",
    "shopping_order_delete",
)
SECRET = "whsec-test-secret-0123456789"
#: every wait in these tests is bounded by this (seconds)
WAIT = 30.0


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


#: `receiver.answer` returns this to accept a request and never answer it
HANG = Answer(status=-1)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    #: the status answered (None while hanging, or if the connection went away first)
    status: int | None = None

    @property
    def json(self) -> Json:
        parsed: Json = json.loads(self.body)
        return parsed

    @property
    def event(self) -> str:
        return str(self.json["event"])

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Receiver:
    """A webhook subscriber on 127.0.0.1 (one request per connection)."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.answer: Callable[[Request], Answer] = lambda _: Answer()
        #: seconds to wait before answering (so deliveries overlap in time)
        self.delay = 0.0
        self.url = ""
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._closing = asyncio.Event()

    async def start(self) -> Receiver:
        self._server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def stop(self) -> None:
        self._closing.set()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def answer_with(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.answer = lambda _: Answer(status, body, headers)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {
                name.lower(): value
                for name, value in (line.split(": ", 1) for line in lines if ": " in line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            request = Request(method, path, headers, body)
            self.requests.append(request)
            answer = self.answer(request)
            if self.delay:
                await asyncio.sleep(self.delay)
            if answer is HANG:
                await self._closing.wait()
                return
            extra = "".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())
            writer.write(
                f"HTTP/1.1 {answer.status} X\r\ncontent-length: {len(answer.body)}\r\n"
                f"content-type: text/plain\r\n{extra}connection: close\r\n\r\n".encode()
                + answer.body
            )
            await writer.drain()
            request.status = answer.status
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    # ---- what arrived ----------------------------------------------------------------------
    def of(self, account: str) -> list[Request]:
        """Requests about `account` (pings included), in arrival order."""
        return [r for r in self.requests if _account_of(r) == account]

    def delivered(self, account: str) -> list[Request]:
        """Requests about `account` that were answered 2xx."""
        return [r for r in self.of(account) if r.ok]

    def events(self, account: str, *, delivered: bool = True) -> list[str]:
        return [r.event for r in (self.delivered(account) if delivered else self.of(account))]

    def bodies(self, account: str, *, pings: bool = False) -> list[Json]:
        """Bodies answered 2xx for `account`; pings only when asked for."""
        return [r.json for r in self.delivered(account) if pings or r.event != "ping"]

    async def wait_until(self, condition: Callable[[], bool], what: str = "") -> None:
        """Wait (bounded) for something to arrive when a separate process delivers."""
        deadline = time.monotonic() + WAIT
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or 'requests'}")
            await asyncio.sleep(0.02)


def _account_of(request: Request) -> str | None:
    try:
        return str(request.json.get("account_id"))
    except ValueError:
        return None


@asynccontextmanager
async def receiving() -> AsyncIterator[Receiver]:
    receiver = await Receiver().start()
    try:
        yield receiver
    finally:
        await receiver.stop()


# ---- signatures ----------------------------------------------------------------------------


def verify(request: Request, secret: str = SECRET, *, pinned: bool = False) -> Json:
    """Check every header a delivery must carry and both signatures; returns the body.

    `pinned`: the worker ran on a pinned clock, so `webhook-timestamp` is far in the past and
    the Standard Webhooks signature is recomputed instead of verified with its time tolerance.
    """
    headers, body = request.headers, request.body
    assert request.method == "POST"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("Dintero-Hook/"), headers["user-agent"]
    expected = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    assert hmac.compare_digest(headers["event-signature"], expected), "bad event-signature"
    webhook = Webhook("whsec_" + base64.b64encode(secret.encode()).decode())
    standard = {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    if pinned:
        moment = datetime.fromtimestamp(int(standard["webhook-timestamp"]), UTC)
        signed = webhook.sign(standard["webhook-id"], moment, body.decode())
        assert signed in standard["webhook-signature"].split(" "), "bad webhook-signature"
        payload: Json = json.loads(body)
    else:
        payload = webhook.verify(body, standard)
    assert headers["event"] == payload["event"]
    assert headers["event-delivery"] == payload["event_delivery"]
    assert headers["webhook-id"] == (payload.get("event_id") or payload["event_delivery"])
    return payload


# ---- workers ---------------------------------------------------------------------------------


async def pump(
    worker: Worker,
    until: Callable[[], bool | Awaitable[bool]],
    what: str = "",
) -> int:
    """Run worker passes until `until()` holds (bounded); returns how many passes it took.

    Waits are conditions, never a fixed number of passes: on Postgres fan-out only reads
    below the oldest transaction still running anywhere in the cluster, so it may lag.
    """
    deadline = time.monotonic() + WAIT
    passes = 0
    while True:
        await worker.run_once()
        passes += 1
        done = until()
        if inspect.isawaitable(done):
            done = await done
        if done:
            return passes
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {passes} worker passes waiting for {what}")
        await asyncio.sleep(0.005)


async def passes(worker: Worker, n: int = 3) -> None:
    """A few worker passes (to show that something does *not* happen)."""
    for _ in range(n):
        await worker.run_once()


async def until_async(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def feed(shop: httpx.AsyncClient, n: int | None = None, **params: Any) -> list[Json]:
    """The account's event feed (`shop`: a client on `/v1/accounts/{aid}/shopping`).

    With `n`, waits (bounded) until it holds at least `n` events: on Postgres the feed only
    shows events below the oldest transaction still running anywhere in the cluster.
    """
    deadline = time.monotonic() + WAIT
    while True:
        response = await shop.get("/events", params={"limit": 100, **params})
        assert response.status_code == 200, response.text
        events: list[Json] = response.json()["events"]
        if n is None or len(events) >= n:
            return events
        if time.monotonic() > deadline:
            raise AssertionError(f"the feed holds {len(events)} events, not {n}")
        await asyncio.sleep(0.05)


# ---- direct looks at the tables -------------------------------------------------------------


async def deliveries_of(db: Database, account: str, **where: Any) -> list[Json]:
    conditions = [DeliveryRow.account_id == account]
    conditions += [getattr(DeliveryRow, column) == value for column, value in where.items()]
    async with db.read() as conn:
        rows = await conn.all(
            select(DeliveryRow.__table__).where(*conditions).order_by(DeliveryRow.created_at)
        )
        return [dict(row._asdict()) for row in rows]


async def has_deliveries(
    db: Database, account: str, n: int, *, attempted: bool = False, **where: Any
) -> bool:
    """At least `n` deliveries (with `attempted`: that have been tried at least once)."""
    rows = await deliveries_of(db, account, **where)
    return sum(1 for r in rows if r["attempts"] > 0 or not attempted) >= n


async def attempts_of(db: Database, account: str, delivery_id: str) -> list[Json]:
    async with db.read() as conn:
        rows = await conn.all(
            select(DeliveryAttemptRow.__table__)
            .where(
                DeliveryAttemptRow.account_id == account,
                DeliveryAttemptRow.delivery_id == delivery_id,
            )
            .order_by(DeliveryAttemptRow.attempt)
        )
        return [dict(row._asdict()) for row in rows]


async def retire_subscriptions(db: Database, account: str) -> None:
    """Soft-delete the account's subscriptions: nothing of this test is ever sent later."""
    async with db.write() as conn:
        await conn.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.account_id == account, SubscriptionRow.deleted_at.is_(None))
            .values(deleted_at=utc_now(), active=False)
        )
