"""Draft-order use cases. Services never commit: the route's unit of work does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.documents import OrderItem
from shopping.draft_orders import repository as repo
from shopping.draft_orders.discounts import DiscountProvider
from shopping.draft_orders.document import build_order, item_input, order_input
from shopping.draft_orders.errors import (
    CustomOrderIdWithSplit,
    DraftNotEditable,
    DraftNotFound,
    InvalidCursor,
    LineNotFound,
)
from shopping.draft_orders.events import new_api_event, record_api_event, with_event
from shopping.draft_orders.schemas import DraftOrderWrite
from shopping.draft_orders.search import SEARCH, search_values
from shopping.errors import ShoppingError
from shopping.kit.clock import Clock, isoformat
from shopping.kit.concurrency import assert_current
from shopping.kit.ids import alphanumeric_9, new_uuid
from shopping.kit.requests import ApiCall
from shopping.webhooks.events import DRAFT_ADD, DRAFT_UPDATE
from shopping.webhooks.outbox import emit

Json = dict[str, Any]
OPEN = "open"
RESERVE = "ALPHANUMERIC_9_RESERVE"
_RESERVE_ATTEMPTS = 20
#: Fields that stay editable after a draft is completed or deleted (reference §5.1).
NOTE_FIELDS = ("metadata", "comment")


class Drafts:
    """The draft-order use cases, bound to their collaborators (clock, discount engine)."""

    def __init__(self, clock: Clock, discounts: DiscountProvider) -> None:
        self.clock = clock
        self.discounts = discounts

    # ---- reads ---------------------------------------------------------------------------
    async def get(self, uow: UnitOfWork, call: ApiCall, draft_id: str) -> Json:
        record = await repo.get_draft(uow, call.account_id, draft_id)
        if record is None:
            raise DraftNotFound(draft_id)
        return render(record, call.base_url)

    async def list(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        filters: repo.DraftFilters,
        *,
        starting_after: str | None,
        limit: int,
    ) -> list[Json]:
        after = None
        if starting_after is not None:
            after = await repo.cursor_position(uow, call.account_id, starting_after)
            if after is None:
                raise InvalidCursor(starting_after)
        records = await repo.list_drafts(
            uow, call.account_id, filters, after=after, limit=limit, search_facet=SEARCH
        )
        return [render(r, call.base_url) for r in records]

    # ---- writes --------------------------------------------------------------------------
    async def create(
        self, uow: UnitOfWork, call: ApiCall, body: DraftOrderWrite, *, apply_discounts: bool
    ) -> Json:
        now, draft_id = self.clock(), new_uuid()
        extras, options, order = _split_body(body)
        _check_order_id_rules(order, options)
        reserved = None
        if options.get("generate_order_id") == RESERVE and not order.get("order_id"):
            reserved = await self._reserve_order_id(uow, call.account_id, draft_id, now)
            order["order_id"] = reserved
        if apply_discounts:
            order = await self.discounts.apply(uow, call.account_id, order)
        built = build_order(
            order, version=1, previous=None, options=options, recompute=apply_discounts
        )
        event = new_api_event(call, 1, now)
        document = {**extras, "options": options, "order": built, "events": [event]}
        await repo.insert_draft(
            uow,
            call.account_id,
            {
                "id": draft_id,
                "status": OPEN,
                "version": 1,
                "created_at": now,
                "created_by": call.principal.client_id,
                "updated_at": now,
                "reserved_order_id": reserved,
                **_indexed_columns(built),
                "document": document,
                "outbox_sequence": 1,
            },
        )
        await repo.insert_event(uow, call.account_id, draft_id, event, now)
        await repo.replace_facets(
            uow, call.account_id, draft_id, SEARCH, set(), search_values(built)
        )
        record = repo.DraftRecord(
            draft_id, OPEN, 1, now, call.principal.client_id, now, None, None, reserved, document, 1
        )
        draft = render(record, call.base_url)
        await emit(
            uow,
            account_id=call.account_id,
            event=DRAFT_ADD,
            aggregate_id=draft_id,
            resource={"draft": draft},
            now=now,
            sequence=1,
        )
        return draft

    async def update(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        draft_id: str,
        body: DraftOrderWrite,
        *,
        apply_discounts: bool,
    ) -> Json:
        record = await self._locked(uow, call, draft_id, expected_version=body.version)
        extras, options, order = _split_body(body)
        if body.options is None:
            options = record.document.get("options", {})
        if record.status != OPEN:
            return await self._update_notes(uow, call, record, extras, options, order)
        _check_order_id_rules(order, options)
        if options.get("generate_order_id") == RESERVE and not order.get("order_id"):
            if record.reserved_order_id is None:
                # first chosen on an update: reserve once and remember it, like on create
                record.reserved_order_id = await self._reserve_order_id(
                    uow, call.account_id, draft_id, self.clock()
                )
                await repo.update_draft(
                    uow, call.account_id, draft_id, {"reserved_order_id": record.reserved_order_id}
                )
            order["order_id"] = record.reserved_order_id
        return await self._save(uow, call, record, order, options, extras, apply_discounts)

    async def add_item(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        draft_id: str,
        item: OrderItem,
        *,
        apply_discounts: bool,
    ) -> Json:
        record = await self._locked_open(uow, call, draft_id)
        order = order_input(record.document["order"])
        order["items"] = [*order.get("items", []), _item_json(item)]
        return await self._save(uow, call, record, order, None, None, apply_discounts)

    async def replace_item(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        draft_id: str,
        line_id: int,
        item: OrderItem,
        *,
        apply_discounts: bool,
    ) -> Json:
        record = await self._locked_open(uow, call, draft_id)
        order = order_input(record.document["order"])
        items = order.get("items", [])
        position = _position_of(items, line_id, draft_id)
        # the path names the line: a body line_id that differs would silently move it
        items[position] = {**_item_json(item), "line_id": line_id}
        return await self._save(uow, call, record, order, None, None, apply_discounts)

    async def delete_item(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        draft_id: str,
        line_id: int,
        *,
        apply_discounts: bool,
    ) -> Json:
        record = await self._locked_open(uow, call, draft_id)
        order = order_input(record.document["order"])
        items = order.get("items", [])
        del items[_position_of(items, line_id, draft_id)]
        return await self._save(uow, call, record, order, None, None, apply_discounts)

    # ---- internals -----------------------------------------------------------------------
    async def _locked(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        draft_id: str,
        *,
        expected_version: int | None = None,
    ) -> repo.DraftRecord:
        """The draft, its row locked until commit; a version the request names (If-Match,
        a body `version`) must be the current one."""
        record = await repo.get_draft(uow, call.account_id, draft_id, lock=True)
        if record is None:
            raise DraftNotFound(draft_id)
        assert_current(f"Draft order {draft_id}", record.version, call.if_match, expected_version)
        return record

    async def _locked_open(self, uow: UnitOfWork, call: ApiCall, draft_id: str) -> repo.DraftRecord:
        record = await self._locked(uow, call, draft_id)
        if record.status != OPEN:
            raise DraftNotEditable(draft_id, record.status)
        return record

    async def _update_notes(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.DraftRecord,
        extras: Json,
        options: Json,
        order: Json,
    ) -> Json:
        """A completed or deleted draft takes changes to its notes and metadata only."""
        stored = record.document
        before = order_input(stored["order"])
        stored_extras = _extras(stored)
        if (
            _without_notes(order) != _without_notes(before)
            or options != stored.get("options", {})
            or extras != stored_extras
        ):
            raise DraftNotEditable(record.id, record.status)
        notes = {field: order[field] for field in NOTE_FIELDS if field in order}
        new_order = {**_without_notes(stored["order"]), **notes}
        return await self._write(uow, call, record, {**stored, "order": new_order})

    async def _save(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.DraftRecord,
        order: Json,
        options: Json | None,
        extras: Json | None,
        apply_discounts: bool,
    ) -> Json:
        stored = record.document
        options = stored.get("options", {}) if options is None else options
        if extras is None:
            extras = _extras(stored)
        if apply_discounts:
            order = await self.discounts.apply(uow, call.account_id, order)
        elif "discounts" in stored["order"]:  # without the flag nothing discount-related changes
            order["discounts"] = stored["order"]["discounts"]
        built = build_order(
            order,
            version=record.version + 1,
            previous=stored["order"],
            options=options,
            recompute=apply_discounts,
        )
        return await self._write(uow, call, record, {**extras, "options": options, "order": built})

    async def _write(
        self, uow: UnitOfWork, call: ApiCall, record: repo.DraftRecord, document: Json
    ) -> Json:
        now, version = self.clock(), record.version + 1
        sequence = record.outbox_sequence + 1
        built = document["order"]
        event = await record_api_event(uow, call, record.id, version, now)
        document = with_event({**document, "events": record.document.get("events", [])}, event)
        await repo.update_draft(
            uow,
            call.account_id,
            record.id,
            {
                "version": version,
                "updated_at": now,
                "document": document,
                **_indexed_columns(built),
                "outbox_sequence": sequence,
            },
        )
        await repo.replace_facets(
            uow,
            call.account_id,
            record.id,
            SEARCH,
            search_values(record.document["order"]),
            search_values(built),
        )
        record.version, record.updated_at, record.document = version, now, document
        record.outbox_sequence = sequence
        draft = render(record, call.base_url)
        await emit(
            uow,
            account_id=call.account_id,
            event=DRAFT_UPDATE,
            aggregate_id=record.id,
            resource={"draft": draft},
            now=now,
            sequence=sequence,
        )
        return draft

    async def _reserve_order_id(
        self, uow: UnitOfWork, account_id: str, draft_id: str, now: datetime
    ) -> str:
        for _ in range(_RESERVE_ATTEMPTS):
            candidate = alphanumeric_9()
            if await repo.reserve_order_id(uow, account_id, candidate, draft_id, now):
                return candidate
        raise ShoppingError("Could not reserve a unique order id")


def render(record: repo.DraftRecord, base_url: str) -> Json:
    """The draft as clients see it: server fields, then the stored document (which carries
    the draft's events)."""
    events = record.document.get("events", [])
    out: Json = {
        "id": record.id,
        "created_at": isoformat(record.created_at),
        "created_by": record.created_by,
        "updated_at": isoformat(record.updated_at),
        "status": record.status,
        "version": record.version,
        "_links": [{"href": f"{base_url}/draft_orders/{record.id}", "rel": "draft"}],
        **record.document,
        "events": events,
    }
    if record.deleted_at is not None:
        out["deleted_at"] = isoformat(record.deleted_at)
    return out


def _extras(document: Json) -> Json:
    """Unknown-but-valid top-level fields the client stored on the draft."""
    return {k: v for k, v in document.items() if k not in ("options", "order", "events")}


def _split_body(body: DraftOrderWrite) -> tuple[Json, Json, Json]:
    """(top-level extras, options, order input) as plain JSON, exactly as sent."""
    dumped = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    dumped.pop("version", None)  # a precondition, not content
    order = dumped.pop("order")
    options = dumped.pop("options", None) or {}
    return dumped, options, order


def _item_json(item: OrderItem) -> Json:
    return item_input(item.model_dump(mode="json", by_alias=True, exclude_unset=True))


def _check_order_id_rules(order: Json, options: Json) -> None:
    if options.get("split_draft") and order.get("order_id"):
        raise CustomOrderIdWithSplit()


def _position_of(items: list[Json], line_id: int, draft_id: str) -> int:
    for position, item in enumerate(items):
        if item.get("line_id") == line_id:
            return position
    raise LineNotFound(draft_id, line_id)


def _without_notes(order: Json) -> Json:
    return {k: v for k, v in order.items() if k not in NOTE_FIELDS}


def _indexed_columns(order: Json) -> Json:
    customer = order.get("customer") or {}
    return {
        "currency": order["currency"],
        "net_amount": order["net_amount"],
        "customer_id": customer.get("id"),
    }
