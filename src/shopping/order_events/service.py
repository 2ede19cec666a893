"""Order-event use cases."""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.order_events.schemas import ServiceEventCreate
from shopping.orders import repository as orders_repo
from shopping.orders.errors import OrderNotFound
from shopping.orders.event_state import SERVICE_EVENT, combined_state
from shopping.orders.service import EVENT_TYPES, Orders, render
from shopping.webhooks.events import ORDER_EVENT_ADD
from shopping.webhooks.outbox import emit

Json = dict[str, Any]


class OrderEvents:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def list_events(self, uow: UnitOfWork, call: ApiCall, reference: str) -> Json:
        record = await orders_repo.get_order(uow, call.account_id, reference)
        if record is None:
            raise OrderNotFound(reference)
        events = await orders_repo.events_of(uow, call.account_id, [record.id], EVENT_TYPES)
        return {"events": events[record.id], "state": combined_state(events[record.id])}

    async def add_service_event(
        self, uow: UnitOfWork, call: ApiCall, reference: str, body: ServiceEventCreate
    ) -> Json:
        """Service events report on the order's handling (e.g. `ready_for_pickup`); they are
        accepted whatever the order's status, cancelled included, and leave its version."""
        record = await self.orders.locked(uow, call, reference, check_if_match=False)
        now = self.orders.clock()
        event = {
            "id": new_uuid(),
            "event_type": SERVICE_EVENT,
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "version": record.version,
            **body.model_dump(mode="json", exclude_none=True),
        }
        seq, sequence = record.event_sequence + 1, record.outbox_sequence + 1
        await orders_repo.append_event(uow, call.account_id, record.id, event, now, seq=seq)
        await orders_repo.update_order(
            uow,
            call.account_id,
            record.id,
            {"event_sequence": seq, "outbox_sequence": sequence},
        )
        await emit(
            uow,
            account_id=call.account_id,
            event=ORDER_EVENT_ADD,
            aggregate_id=record.id,
            now=now,
            resource={"order": render(record.document, call.base_url), "order_event": event},
            sequence=sequence,
        )
        link = f"{call.base_url}/orders/{record.id}/events"
        return {**event, "_links": [{"href": link, "rel": "events"}]}
