"""Order use cases that change an order: update, cancel, close, (re)open.

Each returns the saved record; the route renders it (with events when asked for).
"""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.documents import OrderUpdate
from shopping.errors import ValidationFailed
from shopping.kit.clock import isoformat
from shopping.kit.requests import ApiCall
from shopping.orders import state
from shopping.orders.errors import OrderCancelled
from shopping.orders.repository import OrderRecord
from shopping.orders.service import Orders
from shopping.orders.updates import apply_update

Json = dict[str, Any]


class OrderActions:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def update(
        self, uow: UnitOfWork, call: ApiCall, reference: str, body: OrderUpdate
    ) -> OrderRecord:
        changes = body.to_document()
        version = changes.pop("version", None)
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise ValidationFailed(
                "version must be an integer",
                errors=[{"path": "version", "message": "must be an integer"}],
            )
        record = await self.orders.locked(uow, call, reference, expected_version=version)
        if record.document["status"] == state.CANCELLED:
            raise OrderCancelled(reference, "updating it")
        order = apply_update(record.document, changes)
        if order != record.document:  # an update that changes nothing is not saved or sent
            await self.orders.save(uow, call, record, order)
        return record

    async def cancel(
        self, uow: UnitOfWork, call: ApiCall, reference: str, reason: Any
    ) -> OrderRecord:
        record = await self.orders.locked(uow, call, reference)
        order = record.document
        state.assert_can_cancel(order["status"], order.get("payment_details") or {})
        now = isoformat(self.orders.clock())
        changed = {
            **order,
            "status": state.CANCELLED,
            "cancelled_at": now,
            "cancelled_by": call.principal.client_id,
        }
        if reason is not None:
            changed["cancelled_reason"] = reason
        await self.orders.save(uow, call, record, changed)
        return record

    async def close(self, uow: UnitOfWork, call: ApiCall, reference: str) -> OrderRecord:
        record = await self.orders.locked(uow, call, reference)
        state.assert_can_close(record.document["status"])
        changed = {
            **record.document,
            "status": state.CLOSED,
            "closed_at": isoformat(self.orders.clock()),
            "closed_by": call.principal.client_id,
        }
        await self.orders.save(uow, call, record, changed)
        return record

    async def reopen(self, uow: UnitOfWork, call: ApiCall, reference: str) -> OrderRecord:
        record = await self.orders.locked(uow, call, reference)
        state.assert_can_open(record.document["status"])
        changed = {**record.document, "status": state.OPEN}
        await self.orders.save(uow, call, record, changed)
        return record
