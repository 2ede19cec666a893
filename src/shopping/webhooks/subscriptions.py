"""Subscription use cases: create (sends a ping), read, update, delete, ping, deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.sql.elements import BindParameter

from shopping.db.statements import key_params, set_params, update_by_key
from shopping.db.unit_of_work import UnitOfWork
from shopping.errors import NotFound, ValidationFailed
from shopping.kit.clock import Clock, isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.models import DeliveryAttemptRow, DeliveryRow, SubscriptionRow
from shopping.webhooks.events import PING
from shopping.webhooks.schemas import SubscriptionWrite
from shopping.webhooks.targets import TargetPolicy, TargetRefused

Json = dict[str, Any]
PENDING, CANCELLED = "pending", "cancelled"


class SubscriptionNotFound(NotFound):
    code = "SUBSCRIPTION_NOT_FOUND"

    def __init__(self, hook_id: str) -> None:
        super().__init__(f"Subscription {hook_id} not found")


class DeliveryNotFound(NotFound):
    code = "DELIVERY_NOT_FOUND"

    def __init__(self, delivery_id: str) -> None:
        super().__init__(f"Delivery {delivery_id} not found")


class Subscriptions:
    def __init__(self, clock: Clock, targets: TargetPolicy) -> None:
        self.clock = clock
        self.targets = targets

    async def create(self, uow: UnitOfWork, call: ApiCall, body: SubscriptionWrite) -> Json:
        self._check_target(body.config.url)
        now, hook_id = self.clock(), new_uuid()
        document = {**body.document(), "id": hook_id, "account_id": call.account_id}
        await uow.queue(
            _INSERT_SUBSCRIPTION,
            {
                "account_id": call.account_id,
                "id": hook_id,
                "url": body.config.url,
                "secret": body.config.secret_value(),
                "events": list(body.events),
                "active": body.active,
                "consecutive_failures": 0,
                "created_at": now,
                "updated_at": now,
                "document": document,
            },
        )
        await self._enqueue_ping(uow, call.account_id, hook_id, now)
        return await self.get(uow, call, hook_id)

    async def update(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, body: SubscriptionWrite
    ) -> Json:
        """Replace the subscription; re-activating one that failures disabled revives it."""
        stored = await self._row(uow, call, hook_id, lock=True)
        self._check_target(body.config.url)
        document = {**body.document(), "id": hook_id, "account_id": call.account_id}
        values: Json = {
            "url": body.config.url,
            "events": list(body.events),
            "active": body.active,
            "updated_at": self.clock(),
            "disabled_at": None,
            "failing_since": None,
            "consecutive_failures": 0,
            "document": document,
        }
        if body.config.secret is not None:
            values["secret"] = body.config.secret_value()
        elif "secret" in stored["document"]["config"]:  # omitted: the stored secret stays
            document["config"]["secret"] = stored["document"]["config"]["secret"]
        await _update(uow, call.account_id, hook_id, values)
        return await self.get(uow, call, hook_id)

    async def delete(self, uow: UnitOfWork, call: ApiCall, hook_id: str) -> Json:
        shown = await self.get(uow, call, hook_id)
        now = self.clock()
        await _update(
            uow, call.account_id, hook_id, {"deleted_at": now, "active": False, "updated_at": now}
        )
        # nothing will send them any more: they leave the backlog instead of waiting forever
        await uow.queue(_CANCEL_PENDING, {"b_account_id": call.account_id, "b_hook_id": hook_id})
        return {**shown, "active": False, "deleted_at": isoformat(now)}

    async def ping(self, uow: UnitOfWork, call: ApiCall, hook_id: str) -> None:
        await self._row(uow, call, hook_id)
        await self._enqueue_ping(uow, call.account_id, hook_id, self.clock())

    async def get(self, uow: UnitOfWork, call: ApiCall, hook_id: str) -> Json:
        return _render(await self._row(uow, call, hook_id))

    async def list_all(self, uow: UnitOfWork, call: ApiCall) -> list[Json]:
        rows = await uow.all(_LIST, {"account_id": call.account_id})
        return [_render(dict(row._asdict())) for row in rows]

    # ---- deliveries ----------------------------------------------------------------------
    async def deliveries(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, limit: int
    ) -> list[Json]:
        await self._row(uow, call, hook_id)
        params = {"account_id": call.account_id, "hook_id": hook_id, "limit": limit}
        rows = await uow.all(_DELIVERIES, params)
        return [_render_delivery(dict(row._asdict())) for row in rows]

    async def delivery(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, delivery_id: str
    ) -> Json:
        row = await self._delivery_row(uow, call, hook_id, delivery_id)
        attempts = await uow.all(
            _ATTEMPTS, {"account_id": call.account_id, "delivery_id": delivery_id}
        )
        log = [{**dict(a._asdict()), "started_at": isoformat(a.started_at)} for a in attempts]
        return {**_render_delivery(row), "attempt_log": log}

    async def redeliver(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, delivery_id: str
    ) -> Json:
        """A new delivery of the same event, due now (the original keeps its history)."""
        original = await self._delivery_row(uow, call, hook_id, delivery_id)
        now, new_id = self.clock(), new_uuid()
        await uow.queue(
            _INSERT_DELIVERY,
            {
                "account_id": call.account_id,
                "id": new_id,
                "subscription_id": hook_id,
                "event": original["event"],
                "event_id": original["event_id"],
                "aggregate_id": original["aggregate_id"],
                "sequence": original["sequence"],
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "payload": original["payload"],
            },
        )
        return _render_delivery(await self._delivery_row(uow, call, hook_id, new_id))

    # ---- internals -----------------------------------------------------------------------
    def _check_target(self, url: str) -> None:
        try:
            self.targets.check(url)
        except TargetRefused as exc:
            raise ValidationFailed(
                f"config.url is not allowed: {exc}",
                errors=[{"path": "config.url", "message": str(exc)}],
            ) from exc

    async def _enqueue_ping(
        self, uow: UnitOfWork, account_id: str, hook_id: str, now: datetime
    ) -> None:
        await uow.queue(
            _INSERT_DELIVERY,
            {
                "account_id": account_id,
                "id": new_uuid(),
                "subscription_id": hook_id,
                "event": PING,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "payload": {"account_id": account_id, "event": PING, "hook_id": hook_id},
            },
        )

    async def _row(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, *, lock: bool = False
    ) -> Json:
        stmt = _GET_FOR_UPDATE if lock else _GET
        row = await uow.one(stmt, {"account_id": call.account_id, "hook_id": hook_id})
        if row is None:
            raise SubscriptionNotFound(hook_id)
        return dict(row._asdict())

    async def _delivery_row(
        self, uow: UnitOfWork, call: ApiCall, hook_id: str, delivery_id: str
    ) -> Json:
        await self._row(uow, call, hook_id)
        params = {"account_id": call.account_id, "hook_id": hook_id, "delivery_id": delivery_id}
        row = await uow.one(_DELIVERY, params)
        if row is None:
            raise DeliveryNotFound(delivery_id)
        return dict(row._asdict())


_SUBSCRIPTION_COLUMNS = (
    SubscriptionRow.id,
    SubscriptionRow.document,
    SubscriptionRow.active,
    SubscriptionRow.consecutive_failures,
    SubscriptionRow.disabled_at,
    SubscriptionRow.created_at,
    SubscriptionRow.updated_at,
)
_DELIVERY_COLUMNS = (
    DeliveryRow.id,
    DeliveryRow.event,
    DeliveryRow.event_id,
    DeliveryRow.aggregate_id,
    DeliveryRow.sequence,
    DeliveryRow.status,
    DeliveryRow.attempts,
    DeliveryRow.next_attempt_at,
    DeliveryRow.created_at,
    DeliveryRow.delivered_at,
)


_ACCOUNT: BindParameter[str] = bindparam("account_id")
_INSERT_SUBSCRIPTION = insert(SubscriptionRow)
_INSERT_DELIVERY = insert(DeliveryRow)
_GET = select(*_SUBSCRIPTION_COLUMNS).where(
    SubscriptionRow.account_id == _ACCOUNT,
    SubscriptionRow.id == bindparam("hook_id"),
    SubscriptionRow.deleted_at.is_(None),
)
_GET_FOR_UPDATE = _GET.with_for_update()
_LIST = (
    select(*_SUBSCRIPTION_COLUMNS)
    .where(SubscriptionRow.account_id == _ACCOUNT, SubscriptionRow.deleted_at.is_(None))
    .order_by(SubscriptionRow.created_at.desc(), SubscriptionRow.id.desc())
)
_DELIVERIES = (
    select(*_DELIVERY_COLUMNS)
    .where(DeliveryRow.account_id == _ACCOUNT, DeliveryRow.subscription_id == bindparam("hook_id"))
    .order_by(DeliveryRow.created_at.desc(), DeliveryRow.id.desc())
    .limit(bindparam("limit"))
)
_DELIVERY = select(*_DELIVERY_COLUMNS, DeliveryRow.payload).where(
    DeliveryRow.account_id == _ACCOUNT,
    DeliveryRow.subscription_id == bindparam("hook_id"),
    DeliveryRow.id == bindparam("delivery_id"),
)
_CANCEL_PENDING = (
    update(DeliveryRow)
    .where(
        DeliveryRow.account_id == bindparam("b_account_id"),
        DeliveryRow.subscription_id == bindparam("b_hook_id"),
        DeliveryRow.status == PENDING,
    )
    .values(status=CANCELLED, locked_until=None)
)
_ATTEMPTS = (
    select(
        DeliveryAttemptRow.attempt,
        DeliveryAttemptRow.started_at,
        DeliveryAttemptRow.duration_ms,
        DeliveryAttemptRow.status_code,
        DeliveryAttemptRow.error,
        DeliveryAttemptRow.response_excerpt,
    )
    .where(
        DeliveryAttemptRow.account_id == _ACCOUNT,
        DeliveryAttemptRow.delivery_id == bindparam("delivery_id"),
    )
    .order_by(DeliveryAttemptRow.attempt)
)


async def _update(uow: UnitOfWork, account_id: str, hook_id: str, values: Json) -> None:
    stmt = update_by_key(SubscriptionRow, ("account_id", "id"), tuple(values))
    await uow.queue(stmt, {**key_params(account_id=account_id, id=hook_id), **set_params(**values)})


def _render(row: Json) -> Json:
    out = {
        **row["document"],
        "active": row["active"],
        "created_at": isoformat(row["created_at"]),
        "updated_at": isoformat(row["updated_at"]),
        "consecutive_failures": row["consecutive_failures"],
    }
    if row["disabled_at"] is not None:
        out["disabled_at"] = isoformat(row["disabled_at"])
    return out


def _render_delivery(row: Json) -> Json:
    return {
        "id": row["id"],
        "event_delivery": row["id"],
        "event": row["event"],
        "event_id": row["event_id"],
        "status": row["status"],
        "attempts": row["attempts"],
        "created_at": isoformat(row["created_at"]),
        "next_attempt_at": isoformat(row["next_attempt_at"]) if row["status"] == PENDING else None,
        "delivered_at": isoformat(row["delivered_at"]) if row["delivered_at"] else None,
    }
