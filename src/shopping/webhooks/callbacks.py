"""Checkout callbacks as a kind of delivery the relay sends.

A callback is a delivery row like a webhook's, written in the transaction of the payment it
reports, with no subscription: its `subscription_id` is `CALLBACK` and its payload carries
the request (URL with its query, method, body). The relay claims, sends, retries and logs it
as any delivery, with three differences: the request is the shop's own (GET by default), it
is signed with `Dintero-Signature` when the account has a secret, and only 1xx, 5xx and
network failures are retried (a 4xx or 3xx is an answer, final).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select

from shopping.checkout.signature import dintero_signature
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.json import dumps
from shopping.models import DeliveryAttemptRow, DeliveryRow

Json = dict[str, Any]
CALLBACK = "checkout_callback"
PENDING = "pending"

_INSERT = insert(DeliveryRow)
_DELIVERIES = (
    select(
        DeliveryRow.id,
        DeliveryRow.status,
        DeliveryRow.attempts,
        DeliveryRow.created_at,
        DeliveryRow.next_attempt_at,
        DeliveryRow.delivered_at,
        DeliveryRow.payload,
    )
    .where(
        DeliveryRow.account_id == bindparam("account_id"),
        DeliveryRow.subscription_id == CALLBACK,
        DeliveryRow.aggregate_id == bindparam("session_id"),
    )
    .order_by(DeliveryRow.sequence)
)
_ATTEMPTS = (
    select(
        DeliveryAttemptRow.delivery_id,
        DeliveryAttemptRow.attempt,
        DeliveryAttemptRow.started_at,
        DeliveryAttemptRow.duration_ms,
        DeliveryAttemptRow.status_code,
        DeliveryAttemptRow.error,
    )
    .where(
        DeliveryAttemptRow.account_id == bindparam("account_id"),
        DeliveryAttemptRow.delivery_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(DeliveryAttemptRow.delivery_id, DeliveryAttemptRow.attempt)
)


@dataclass(frozen=True, slots=True)
class CallbackRequest:
    url: str
    method: str
    body: Json | None


async def enqueue_callback(
    uow: UnitOfWork,
    *,
    account_id: str,
    session_id: str,
    sequence: int,
    request: CallbackRequest,
    now: datetime,
    due_at: datetime,
) -> str:
    """Queue a callback in the caller's transaction; `sequence` orders a session's callbacks."""
    delivery_id = new_uuid()
    await uow.execute(
        _INSERT,
        {
            "account_id": account_id,
            "id": delivery_id,
            "subscription_id": CALLBACK,
            "event": CALLBACK,
            "event_id": None,
            "aggregate_id": session_id,
            "sequence": sequence,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": due_at,
            "created_at": now,
            "payload": {"url": request.url, "method": request.method, "body": request.body},
        },
    )
    return delivery_id


def retryable(status_code: int) -> bool:
    return status_code in (100, 101) or 500 <= status_code <= 599


def http_request(
    account_id: str, delivery_id: str, payload: Json, secret: str | None, timestamp: int
) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of one attempt."""
    method, url = str(payload["method"]), str(payload["url"])
    headers = {"event-delivery": delivery_id}
    body = None
    if method == "POST":
        body = dumps(payload.get("body") or {})
        headers["Content-Type"] = "application/json"
    if secret:
        headers["Dintero-Signature"] = dintero_signature(secret, timestamp, account_id, method, url)
    return method, url, headers, body


async def callback_log(uow: UnitOfWork, account_id: str, session_id: str) -> list[Json]:
    """A session's callbacks with every attempt, oldest first."""
    deliveries = await uow.all(_DELIVERIES, {"account_id": account_id, "session_id": session_id})
    attempts: dict[str, list[Json]] = {}
    if deliveries:
        rows = await uow.all(
            _ATTEMPTS, {"account_id": account_id, "ids": [row.id for row in deliveries]}
        )
        for row in rows:
            attempts.setdefault(row.delivery_id, []).append(
                {
                    "attempt": row.attempt,
                    "started_at": isoformat(row.started_at),
                    "duration_ms": row.duration_ms,
                    "status_code": row.status_code,
                    "error": row.error,
                }
            )
    return [
        {
            "id": row.id,
            "status": row.status,
            "method": row.payload["method"],
            "url": row.payload["url"],
            "created_at": isoformat(row.created_at),
            "next_attempt_at": isoformat(row.next_attempt_at) if row.status == PENDING else None,
            "delivered_at": isoformat(row.delivered_at) if row.delivered_at else None,
            "attempts": attempts.get(row.id, []),
        }
        for row in deliveries
    ]
