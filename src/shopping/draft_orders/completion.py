"""Completing a draft: one transaction that creates its order(s), or merges it into an
existing order, and marks the draft `completed` (reference §5.2–5.3, §10.9–11).

Exactly once: the draft's row is locked and its status checked first, so of any number of
concurrent completions one creates the orders and the others get 409 (or, with a shared
Idempotency-Key, the first one's response).
"""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.draft_orders import repository as repo
from shopping.draft_orders.discounts import DiscountProvider, NoDiscounts
from shopping.draft_orders.errors import (
    CurrencyMismatch,
    DraftAlreadyCompleted,
    DraftHasNoItems,
    DraftNotEditable,
    DraftNotFound,
    OrderIdTaken,
    ReplaceNotAllowed,
    SplitWithExistingOrder,
)
from shopping.draft_orders.events import record_api_event, with_event
from shopping.draft_orders.service import render as render_draft
from shopping.draft_orders.splitting import part_content, split_items
from shopping.errors import ShoppingError
from shopping.kit.clock import Clock
from shopping.kit.concurrency import assert_current
from shopping.kit.ids import alphanumeric_9, new_uuid
from shopping.kit.requests import ApiCall
from shopping.orders.document import (
    OPERATION_KINDS,
    SERVER_FIELDS,
    merge_items,
    new_order,
)
from shopping.orders.errors import OrderCancelled, OrderNotFound
from shopping.orders.service import Orders, render
from shopping.orders.state import CANCELLED
from shopping.payouts.service import PayoutRules
from shopping.webhooks.events import DRAFT_COMPLETE
from shopping.webhooks.outbox import emit

Json = dict[str, Any]
COMPLETED, OPEN = "completed", "open"
_ATTEMPTS = 20


class DraftCompletion:
    def __init__(
        self,
        clock: Clock,
        orders: Orders,
        payouts: PayoutRules,
        discounts: DiscountProvider | None = None,
    ) -> None:
        self.clock = clock
        self.orders = orders
        self.payouts = payouts
        self.discounts = discounts or NoDiscounts()

    async def complete(self, uow: UnitOfWork, call: ApiCall, draft_id: str) -> Json:
        record = await repo.get_draft(uow, call.account_id, draft_id, lock=True)
        if record is None:
            raise DraftNotFound(draft_id)
        assert_current(f"Draft order {draft_id}", record.version, call.if_match)
        if record.status == COMPLETED:
            raise DraftAlreadyCompleted(draft_id)
        if record.status != OPEN:
            raise DraftNotEditable(draft_id, record.status)
        options = record.document.get("options") or {}
        await self.discounts.record_usage(
            uow, call.account_id, draft_id, record.document["order"], by=call.principal.client_id
        )
        if options.get("order_id"):
            orders = [await self._merge(uow, call, record, options)]
        else:
            orders = await self._create_orders(uow, call, record, options)
        return await self._mark_completed(uow, call, record, orders)

    async def _create_orders(
        self, uow: UnitOfWork, call: ApiCall, record: repo.DraftRecord, options: Json
    ) -> list[Json]:
        order = record.document["order"]
        if not order.get("items"):
            raise DraftHasNoItems(record.id)
        split = bool(options.get("split_draft"))
        parts = split_items(order, split=split)
        suffixes = split and bool(options.get("serial_order_number_suffix"))
        now, created = self.clock(), []
        for number, part in enumerate(parts, start=1):
            content = part_content(order, part, number_suffix=number if suffixes else None)
            if options.get("order_time_to_live") and "time_to_live" not in content:
                content["time_to_live"] = options["order_time_to_live"]
            content["items"] = await self.payouts.with_item_payouts(
                uow, call.account_id, content["items"], options.get("payout")
            )
            order_uuid = new_uuid()
            order_id = await self._order_id_for(
                uow, call, record, options, order_uuid, first=number == 1
            )
            document = new_order(
                order_uuid=order_uuid,
                order_id=order_id,
                content=content,
                created_at=now,
                created_by=call.principal.client_id,
            )
            created.append(
                await self.orders.insert(uow, call, document, draft_id=record.id, now=now)
            )
        return created

    async def _order_id_for(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.DraftRecord,
        options: Json,
        order_uuid: str,
        *,
        first: bool,
    ) -> str:
        """The business order id: the reserved or custom one (first order only), a fresh
        ALPHANUMERIC_9, or the order's own id. Chosen and generated ids are claimed in the
        reservations, so none is used twice; an order's own UUID needs no claim (the orders'
        unique index backs it, and a custom id equal to an existing order's is refused)."""
        chosen = record.document["order"].get("order_id") if first else None
        if chosen:
            await self._claim(uow, call, str(chosen), record.id)
            return str(chosen)
        if options.get("generate_order_id") in ("ALPHANUMERIC_9", "ALPHANUMERIC_9_RESERVE"):
            for _ in range(_ATTEMPTS):
                candidate = alphanumeric_9()
                if await repo.reserve_order_id(
                    uow, call.account_id, candidate, record.id, self.clock()
                ):
                    return candidate
            raise ShoppingError("Could not generate a unique order id")
        return order_uuid

    async def _claim(self, uow: UnitOfWork, call: ApiCall, order_id: str, draft_id: str) -> None:
        if await repo.reserve_order_id(uow, call.account_id, order_id, draft_id, self.clock()):
            if await self.orders.exists(uow, call, order_id):  # an order's own UUID
                raise OrderIdTaken(order_id)
            return
        owner = await repo.order_id_owner(uow, call.account_id, order_id)
        if owner != draft_id:
            raise OrderIdTaken(order_id)

    async def _merge(
        self, uow: UnitOfWork, call: ApiCall, record: repo.DraftRecord, options: Json
    ) -> Json:
        """`options.order_id`: the draft updates (or with `replace`, replaces) that order."""
        if options.get("split_draft"):
            raise SplitWithExistingOrder()
        reference = str(options["order_id"])
        target = await self.orders.locked(uow, call, reference, check_if_match=False)
        existing, draft_order = target.document, record.document["order"]
        if existing.get("deleted_at"):  # emptied by its time to live (§10.12): gone
            raise OrderNotFound(reference)
        if existing["status"] == CANCELLED:
            raise OrderCancelled(reference, "merging a draft into it")
        if draft_order["currency"] != existing["currency"]:
            raise CurrencyMismatch(draft_order["currency"], existing["currency"])
        content = {k: v for k, v in draft_order.items() if k not in SERVER_FIELDS}
        incoming = await self.payouts.with_item_payouts(
            uow, call.account_id, draft_order.get("items") or [], options.get("payout")
        )
        if options.get("replace") == "order":
            if any(existing.get(kind) for kind in OPERATION_KINDS):
                raise ReplaceNotAllowed(reference)
            kept = {k: v for k, v in existing.items() if k in SERVER_FIELDS}
            merged = {**kept, **content, "items": incoming}
        else:
            items = merge_items(existing.get("items") or [], incoming)
            merged = {**existing, **content, "items": items}
        return await self.orders.save(uow, call, target, merged, draft_id=record.id)

    async def _mark_completed(
        self, uow: UnitOfWork, call: ApiCall, record: repo.DraftRecord, orders: list[Json]
    ) -> Json:
        now, version = self.clock(), record.version + 1
        sequence = record.outbox_sequence + 1
        event = await record_api_event(uow, call, record.id, version, now)
        document = with_event(record.document, event)
        await repo.update_draft(
            uow,
            call.account_id,
            record.id,
            {
                "status": COMPLETED,
                "version": version,
                "updated_at": now,
                "completed_at": now,
                "document": document,
                "outbox_sequence": sequence,
            },
        )
        record.status, record.version, record.updated_at = COMPLETED, version, now
        record.outbox_sequence = sequence
        record.completed_at, record.document = now, document
        draft = render_draft(record, call.base_url)
        draft["orders"] = [render(order, call.base_url) for order in orders]
        await emit(
            uow,
            account_id=call.account_id,
            event=DRAFT_COMPLETE,
            aggregate_id=record.id,
            resource={"draft": draft},
            now=now,
            sequence=sequence,
        )
        return draft
