"""Delivery of webhooks: fan outbox messages out to subscriptions, then send what is due.

* Fan-out reads the outbox in commit order from a durable cursor (one worker at a time:
  the cursor row is locked with SKIP LOCKED) and adds a delivery per matching subscription.
* Sending claims due deliveries with a lease (`locked_until`) in a short transaction — never
  holding a transaction open across HTTP calls — so several workers can run side by side
  and none sends a claimed delivery; a worker that dies mid-delivery leaves a lease that
  runs out, and another worker sends it again (at-least-once; receivers dedupe on
  `event_id` / `webhook-id`).
* Per subscription, a draft's or order's events go out in `sequence` order: a delivery waits
  while an earlier one of the same aggregate is still pending (including in backoff).
* Every attempt is recorded (status, duration, response excerpt). Failures back off
  (schedule.py). A subscription is disabled (never deleted) only when its deliveries have
  kept failing for a sustained period (`RelayConfig.disable_after_failing`, 3 days by
  default) with no success in between — judged by time, not by the number of attempts, so
  many deliveries failing in parallel during a short outage do not switch it off; one
  success starts the period again. Re-enabling it resumes the pending deliveries.
* The target's host is resolved once per attempt, every address checked, and the request
  sent to a checked address (targets.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased

from shopping import __version__
from shopping.db import Database
from shopping.db.dialect import insert_if_absent
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import Clock
from shopping.kit.ids import new_uuid
from shopping.kit.json import dumps
from shopping.models import (
    CheckoutSignatureRow,
    DeliveryAttemptRow,
    DeliveryRow,
    OutboxMessageRow,
    RelayCursorRow,
    SubscriptionRow,
)
from shopping.webhooks import callbacks
from shopping.webhooks.outbox import Message, committed_after, messages_where
from shopping.webhooks.relay_config import RelayConfig
from shopping.webhooks.schedule import next_delay
from shopping.webhooks.signing import signature_headers
from shopping.webhooks.targets import TargetPolicy, TargetRefused

log = logging.getLogger("shopping.webhooks")
Json = dict[str, Any]
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
FANOUT = "fanout"
USER_AGENT = f"Dintero-Hook/1.0 (shopping-api {__version__})"
EXCERPT = 1000


@dataclass(frozen=True, slots=True)
class _Claimed:
    account_id: str
    id: str
    subscription_id: str
    event: str
    event_id: str | None
    attempts: int
    payload: Json | None
    url: str | None
    secret: str | None
    #: the account's `Dintero-Signature` secret, for checkout callbacks
    callback_secret: str | None

    @property
    def is_callback(self) -> bool:
        return self.subscription_id == callbacks.CALLBACK


@dataclass(frozen=True, slots=True)
class _Outcome:
    started_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Relay:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        http: httpx.AsyncClient,
        targets: TargetPolicy,
        config: RelayConfig,
    ) -> None:
        self.db, self.clock, self.http, self.targets, self.config = db, clock, http, targets, config

    async def run_once(self) -> dict[str, int]:
        fanned = await self.fan_out()
        sent = await self.send_due()
        return {"deliveries_created": fanned, "deliveries_attempted": sent}

    # ---- fan-out -------------------------------------------------------------------------
    async def fan_out(self) -> int:
        """Turn new outbox messages into deliveries; returns how many deliveries."""
        created = 0
        async with self.db.write() as uow:
            cursor = await self._lock_cursor(uow)
            if cursor is None:  # another worker is fanning out right now
                return 0
            stmt = committed_after(uow.dialect, cursor).limit(self.config.fanout_batch)
            messages = [Message(*row) for row in await uow.all(stmt)]
            subscribers: dict[str, list[Json]] = {}
            for message in messages:
                if message.account_id not in subscribers:
                    subscribers[message.account_id] = await _subscribers(uow, message.account_id)
                for sub in subscribers[message.account_id]:
                    if message.event in sub["events"] and sub["created_at"] <= message.created_at:
                        await _add_delivery(uow, message, sub["id"])
                        created += 1
            if messages:
                last = messages[-1]
                await uow.execute(
                    update(RelayCursorRow)
                    .where(RelayCursorRow.name == FANOUT)
                    .values(tx_id=last.tx_id, position=last.position)
                )
        return created

    async def _lock_cursor(self, uow: UnitOfWork) -> tuple[int, int] | None:
        await insert_if_absent(uow, RelayCursorRow, {"name": FANOUT, "tx_id": 0, "position": 0})
        row = await uow.one(
            select(RelayCursorRow.tx_id, RelayCursorRow.position)
            .where(RelayCursorRow.name == FANOUT)
            .with_for_update(skip_locked=True)
        )
        return (row.tx_id, row.position) if row is not None else None

    # ---- sending -------------------------------------------------------------------------
    async def send_due(self) -> int:
        claimed, bodies = await self._claim()
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._send(d, bodies) for d in claimed))
        for delivery, outcome in zip(claimed, outcomes, strict=True):
            await self._record(delivery, outcome)
        return len(claimed)

    async def _claim(self) -> tuple[list[_Claimed], dict[str, Json]]:
        now = self.clock()
        earlier = aliased(DeliveryRow)
        blocked = exists().where(
            earlier.account_id == DeliveryRow.account_id,
            earlier.subscription_id == DeliveryRow.subscription_id,
            earlier.aggregate_id == DeliveryRow.aggregate_id,
            earlier.status == PENDING,
            earlier.sequence < DeliveryRow.sequence,
        )
        stmt = (
            select(
                DeliveryRow.account_id,
                DeliveryRow.id,
                DeliveryRow.subscription_id,
                DeliveryRow.event,
                DeliveryRow.event_id,
                DeliveryRow.attempts,
                DeliveryRow.payload,
                SubscriptionRow.url,
                SubscriptionRow.secret,
                CheckoutSignatureRow.secret,
            )
            .outerjoin(
                SubscriptionRow,
                and_(
                    SubscriptionRow.account_id == DeliveryRow.account_id,
                    SubscriptionRow.id == DeliveryRow.subscription_id,
                ),
            )
            .outerjoin(
                CheckoutSignatureRow,
                and_(
                    CheckoutSignatureRow.account_id == DeliveryRow.account_id,
                    DeliveryRow.subscription_id == callbacks.CALLBACK,
                ),
            )
            .where(
                DeliveryRow.status == PENDING,
                DeliveryRow.next_attempt_at <= now,
                or_(DeliveryRow.locked_until.is_(None), DeliveryRow.locked_until < now),
                or_(
                    and_(SubscriptionRow.active.is_(True), SubscriptionRow.deleted_at.is_(None)),
                    DeliveryRow.subscription_id == callbacks.CALLBACK,
                ),
                ~blocked,
            )
            .order_by(DeliveryRow.next_attempt_at, DeliveryRow.created_at)
            .limit(self.config.batch)
            .with_for_update(of=DeliveryRow, skip_locked=True)
        )
        async with self.db.write() as uow:
            claimed = [_Claimed(*row) for row in await uow.all(stmt)]
            lease = now + timedelta(seconds=self.config.lease_seconds)
            for delivery in claimed:
                await uow.execute(
                    update(DeliveryRow)
                    .where(
                        DeliveryRow.account_id == delivery.account_id, DeliveryRow.id == delivery.id
                    )
                    .values(locked_until=lease)
                )
            bodies = await _message_bodies(uow, claimed)
        return claimed, bodies

    async def _send(self, delivery: _Claimed, bodies: dict[str, Json]) -> _Outcome:
        if delivery.is_callback:
            return await self._send_callback(delivery)
        started, clock_start = self.clock(), time.perf_counter()
        body_json = (
            bodies.get(delivery.event_id, {}) if delivery.event_id else dict(delivery.payload or {})
        )
        body = dumps({**body_json, "event_delivery": delivery.id})
        message_id = delivery.event_id or delivery.id
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "event": delivery.event,
            "event-delivery": delivery.id,
            **signature_headers(delivery.secret, message_id, int(started.timestamp()), body),
        }
        assert delivery.url is not None  # a subscription's delivery
        try:
            response = await self._request("POST", delivery.url, body, headers)
        except (TargetRefused, httpx.HTTPError) as exc:
            return _Outcome(started, _ms(clock_start), error=f"{type(exc).__name__}: {exc}"[:500])
        return _Outcome(
            started,
            _ms(clock_start),
            status_code=response.status_code,
            excerpt=response.text[:EXCERPT],
        )

    async def _send_callback(self, delivery: _Claimed) -> _Outcome:
        started, clock_start = self.clock(), time.perf_counter()
        method, url, headers, body = callbacks.http_request(
            delivery.account_id,
            delivery.id,
            delivery.payload or {},
            delivery.callback_secret,
            int(started.timestamp()),
        )
        try:
            response = await self._request(method, url, body, {"User-Agent": USER_AGENT, **headers})
        except (TargetRefused, httpx.HTTPError) as exc:
            return _Outcome(started, _ms(clock_start), error=f"{type(exc).__name__}: {exc}"[:500])
        return _Outcome(
            started,
            _ms(clock_start),
            status_code=response.status_code,
            excerpt=response.text[:EXCERPT],
        )

    async def _request(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> httpx.Response:
        """Send to the first checked address of the target that accepts a connection: the
        host is resolved once and the connection made to an address that was checked."""
        target = await self.targets.resolve(url)
        attempts = target.requests()
        for index, (address_url, host, extensions) in enumerate(attempts):
            try:
                return await self.http.request(
                    method,
                    address_url,
                    content=body,
                    headers={**headers, **host},
                    extensions=extensions,
                    timeout=self.config.timeout_seconds,
                )
            except httpx.ConnectError:
                if index == len(attempts) - 1:
                    raise
        raise TargetRefused(f"{url} has no address")  # unreachable: resolve() never returns none

    async def _record(self, delivery: _Claimed, outcome: _Outcome) -> None:
        attempt = delivery.attempts + 1
        now = self.clock()
        async with self.db.write() as uow:
            await uow.execute(
                insert(DeliveryAttemptRow).values(
                    account_id=delivery.account_id,
                    delivery_id=delivery.id,
                    attempt=attempt,
                    started_at=outcome.started_at,
                    duration_ms=outcome.duration_ms,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    response_excerpt=outcome.excerpt,
                )
            )
            values: Json = {"attempts": attempt, "locked_until": None}
            if outcome.ok:
                values |= {"status": DELIVERED, "delivered_at": now}
            elif _final_callback_answer(delivery, outcome):
                values |= {"status": FAILED}
            else:
                delay = next_delay(attempt, delays=self.config.retry_delays)
                values |= {"status": FAILED} if delay is None else {"next_attempt_at": now + delay}
            await uow.execute(
                update(DeliveryRow)
                .where(DeliveryRow.account_id == delivery.account_id, DeliveryRow.id == delivery.id)
                .values(**values)
            )
            if not delivery.is_callback:  # a callback belongs to no subscription
                await self._count_outcome(uow, delivery, outcome.ok, now)
        log.info(
            "webhook attempt",
            extra={"delivery": delivery.id, "status": outcome.status_code, "error": outcome.error},
        )

    async def _count_outcome(
        self, uow: UnitOfWork, delivery: _Claimed, ok: bool, now: datetime
    ) -> None:
        """A success clears the failing period; a failure starts it if it is not running, and
        disables the subscription once it has lasted `disable_after_failing`."""
        where = (
            SubscriptionRow.account_id == delivery.account_id,
            SubscriptionRow.id == delivery.subscription_id,
        )
        if ok:
            await uow.execute(
                update(SubscriptionRow)
                .where(*where)
                .values(consecutive_failures=0, failing_since=None)
            )
            return
        failing_since = await uow.scalar(
            update(SubscriptionRow)
            .where(*where)
            .values(
                consecutive_failures=SubscriptionRow.consecutive_failures + 1,
                failing_since=func.coalesce(
                    SubscriptionRow.failing_since, literal(now, SubscriptionRow.failing_since.type)
                ),
            )
            .returning(SubscriptionRow.failing_since)
        )
        if failing_since is not None and now - failing_since >= self.config.disable_after_failing:
            await uow.execute(
                update(SubscriptionRow)
                .where(*where, SubscriptionRow.active.is_(True))
                .values(active=False, disabled_at=now, updated_at=now)
            )
            log.warning("subscription disabled", extra={"subscription": delivery.subscription_id})


async def _subscribers(uow: UnitOfWork, account_id: str) -> list[Json]:
    """Subscriptions that collect deliveries: active ones, and ones disabled by failures
    (so re-enabling them replays what happened meanwhile); not those a user switched off."""
    rows = await uow.all(
        select(SubscriptionRow.id, SubscriptionRow.events, SubscriptionRow.created_at).where(
            SubscriptionRow.account_id == account_id,
            SubscriptionRow.deleted_at.is_(None),
            or_(SubscriptionRow.active.is_(True), SubscriptionRow.disabled_at.is_not(None)),
        )
    )
    return [row._asdict() for row in rows]


async def _add_delivery(uow: UnitOfWork, message: Message, subscription_id: str) -> None:
    await uow.execute(
        insert(DeliveryRow).values(
            account_id=message.account_id,
            id=new_uuid(),
            subscription_id=subscription_id,
            event=message.event,
            event_id=message.event_id,
            aggregate_id=message.aggregate_id,
            sequence=message.sequence,
            status=PENDING,
            attempts=0,
            next_attempt_at=message.created_at,
            created_at=message.created_at,
        )
    )


async def _message_bodies(uow: UnitOfWork, claimed: list[_Claimed]) -> dict[str, Json]:
    keys = [(d.account_id, d.event_id) for d in claimed if d.event_id]
    if not keys:
        return {}
    out: dict[str, Json] = {}
    for account_id in {account for account, _ in keys}:
        ids = [event_id for account, event_id in keys if account == account_id]
        rows = await uow.all(
            messages_where(
                OutboxMessageRow.account_id == account_id, OutboxMessageRow.event_id.in_(ids)
            )
        )
        for row in rows:
            message = Message(*row)
            out[message.event_id] = message.body()
    return out


def _final_callback_answer(delivery: _Claimed, outcome: _Outcome) -> bool:
    """A callback answered with anything but 1xx or 5xx is not tried again."""
    return (
        delivery.is_callback
        and outcome.status_code is not None
        and not callbacks.retryable(outcome.status_code)
    )


def _ms(start: float) -> int:
    return int((time.perf_counter() - start) * 1000)
