"""Order use cases and the primitives other domains use to change an order.

Every change to an order goes through `Orders.save`: under the order's row lock it bumps
`version`, re-derives totals, payment figures and facets, rewrites the stored document and
appends an api-event, all in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import Clock, isoformat
from shopping.kit.concurrency import assert_current
from shopping.kit.ids import new_uuid
from shopping.kit.json import extend_object
from shopping.kit.requests import ApiCall
from shopping.orders import repository as repo
from shopping.orders.document import expires_at, with_derived_fields
from shopping.orders.errors import InvalidCursor, OrderDeleted, OrderNotFound
from shopping.orders.event_state import combined_state
from shopping.orders.facets import order_facets
from shopping.orders.payments import payment_view
from shopping.payment_operations.rules import assert_ledger_fits
from shopping.webhooks.events import ORDER_UPDATE
from shopping.webhooks.outbox import emit

Json = dict[str, Any]
API_EVENT, SERVICE_EVENT = "api-event", "service-event"
EVENT_TYPES = frozenset({API_EVENT, SERVICE_EVENT})


class Orders:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    # ---- primitives for other domains -----------------------------------------------------
    async def insert(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        order: Json,
        *,
        draft_id: str | None,
        now: datetime,
        created_at: datetime | None = None,
        announce: bool = False,
    ) -> Json:
        """Store a new order (built by `document.new_order`) with its first api-event.

        `created_at` is the order's creation time when it is not `now` (an imported order);
        with `announce` the order's own `shopping_order_update` message goes out (a draft's
        completion reports the orders it creates through the draft's message instead)."""
        order = self._derive(order, now)
        await repo.insert_order(
            uow,
            call.account_id,
            {
                "id": order["id"],
                "draft_id": draft_id,
                "created_at": created_at or now,
                **_columns(order, now),
                "document": order,
                "event_sequence": 1,
                "outbox_sequence": 1 if announce else 0,
            },
        )
        await repo.replace_facets(
            uow,
            call.account_id,
            order["id"],
            set(),
            order_facets(order),
            created_at=created_at or now,
        )
        await self._api_event(uow, call, order, now, draft_id=draft_id, seq=1)
        if announce:
            await emit(
                uow,
                account_id=call.account_id,
                event=ORDER_UPDATE,
                aggregate_id=order["id"],
                resource={"order": render(order, call.base_url)},
                now=now,
                sequence=1,
            )
        return order

    async def locked(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        reference: str,
        *,
        check_if_match: bool = True,
        expected_version: int | None = None,
    ) -> repo.OrderRecord:
        """The order, its row locked until commit. A write to the order itself checks the
        version the request names (If-Match, a body `version`) here."""
        record = await repo.get_order(uow, call.account_id, reference, lock=True)
        if record is None:
            raise OrderNotFound(reference)
        if record.document.get("deleted_at"):
            raise OrderDeleted(reference)
        if check_if_match:
            assert_current(f"Order {reference}", record.version, call.if_match, expected_version)
        return record

    async def save(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.OrderRecord,
        order: Json,
        *,
        draft_id: str | None = None,
    ) -> Json:
        """Persist a changed order: version + 1, derived fields, facets, api-event, and its
        outbox message."""
        now = self.clock()
        seq, sequence = record.event_sequence + 1, record.outbox_sequence + 1
        order = self._derive(
            {
                **order,
                "version": record.version + 1,
                "updated_at": isoformat(now),
                "updated_by": call.principal.client_id,
            },
            now,
        )
        await repo.update_order(
            uow,
            call.account_id,
            record.id,
            {
                **_columns(order, now),
                "document": order,
                "event_sequence": seq,
                "outbox_sequence": sequence,
            },
        )
        await repo.replace_facets(
            uow,
            call.account_id,
            record.id,
            order_facets(record.document),
            order_facets(order),
            created_at=datetime.fromisoformat(order["created_at"]),
        )
        await self._api_event(uow, call, order, now, draft_id=draft_id, seq=seq)
        record.version, record.document = order["version"], order
        record.event_sequence, record.outbox_sequence = seq, sequence
        await emit(
            uow,
            account_id=call.account_id,
            event=ORDER_UPDATE,
            aggregate_id=record.id,
            resource={"order": render(order, call.base_url)},
            now=now,
            sequence=sequence,
        )
        return order

    async def exists(self, uow: UnitOfWork, call: ApiCall, reference: str) -> bool:
        return await repo.get_order_text(uow, call.account_id, reference) is not None

    # ---- reads ---------------------------------------------------------------------------
    async def get(
        self, uow: UnitOfWork, call: ApiCall, reference: str, event_types: frozenset[str]
    ) -> Json:
        record = await repo.get_order(uow, call.account_id, reference)
        if record is None:
            raise OrderNotFound(reference)
        return (await self.render_many(uow, call, [record], event_types))[0]

    async def get_text(self, uow: UnitOfWork, call: ApiCall, reference: str) -> tuple[int, str]:
        """(version, JSON text) of the order as returned without events: the stored document
        with `_links` spliced in, never decoded."""
        found = await repo.get_order_text(uow, call.account_id, reference)
        if found is None:
            raise OrderNotFound(reference)
        return found.version, extend_object(found.text, {"_links": links(call.base_url, found.id)})

    async def list_text(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        filters: repo.OrderFilters,
        *,
        starting_after: str | None,
        limit: int,
    ) -> str:
        """`{"orders": [...]}` as JSON text, for lists without events."""
        after = await self._cursor(uow, call, starting_after)
        rows = await repo.list_orders(
            uow, call.account_id, filters, after=after, limit=limit, as_text=True
        )
        orders = ",".join(
            extend_object(row.text, {"_links": links(call.base_url, row.id)}) for row in rows
        )
        return f'{{"orders":[{orders}]}}'

    async def _cursor(
        self, uow: UnitOfWork, call: ApiCall, starting_after: str | None
    ) -> tuple[datetime, str] | None:
        if starting_after is None:
            return None
        after = await repo.cursor_position(uow, call.account_id, starting_after)
        if after is None:
            raise InvalidCursor(starting_after)
        return after

    async def list_page(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        filters: repo.OrderFilters,
        *,
        starting_after: str | None,
        limit: int,
        event_types: frozenset[str],
    ) -> list[Json]:
        after = await self._cursor(uow, call, starting_after)
        records = await repo.list_orders(uow, call.account_id, filters, after=after, limit=limit)
        return await self.render_many(uow, call, records, event_types)

    async def present(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.OrderRecord,
        event_types: frozenset[str],
    ) -> Json:
        """One order as a response, with its events when asked for."""
        return (await self.render_many(uow, call, [record], event_types))[0]

    async def render_many(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        records: list[repo.OrderRecord],
        event_types: frozenset[str],
    ) -> list[Json]:
        if not event_types:
            return [render(r.document, call.base_url) for r in records]
        # all kinds are read: `state` follows the service events whatever is displayed
        events = await repo.events_of(uow, call.account_id, [r.id for r in records], EVENT_TYPES)
        return [render(r.document, call.base_url, events[r.id], event_types) for r in records]

    # ---- internals -----------------------------------------------------------------------
    def _derive(self, order: Json, now: datetime) -> Json:
        order = with_derived_fields(order, now)
        assert_ledger_fits(order)
        status, details = payment_view(order)
        return {**order, "payment_status": status, "payment_details": details}

    async def _api_event(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        order: Json,
        now: datetime,
        *,
        draft_id: str | None,
        seq: int,
    ) -> None:
        event: Json = {
            "id": new_uuid(),
            "event_type": API_EVENT,
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "version": order["version"],
            "request": {"path": call.path, "method": call.method, "body": call.body},
        }
        if draft_id is not None:
            event["draft_id"] = draft_id
        await repo.append_event(uow, call.account_id, order["id"], event, now, seq=seq)


def render(
    order: Json,
    base_url: str,
    events: list[Json] | None = None,
    event_types: frozenset[str] = frozenset(),
) -> Json:
    """The order as clients see it; `events` (of `event_types`) and `state` when asked for."""
    out = {**order, "_links": links(base_url, order["id"])}
    if events is not None:
        out["events"] = [e for e in events if e.get("event_type") in event_types]
        out["state"] = combined_state(events)
    return out


def links(base_url: str, order_uuid: str) -> list[Json]:
    return [{"href": f"{base_url}/orders/{order_uuid}", "rel": "order"}]


def _columns(order: Json, now: datetime) -> Json:
    customer = order.get("customer") or {}
    return {
        "order_id": order["order_id"],
        "status": order["status"],
        "payment_status": order["payment_status"],
        "version": order["version"],
        "currency": order["currency"],
        "net_amount": order["net_amount"],
        "customer_id": customer.get("id") if isinstance(customer, dict) else None,
        "updated_at": now,
        "expires_at": expires_at(order, now),
    }
