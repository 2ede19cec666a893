"""Time to live (reference §5.10, §10.12): an expired order is emptied, its drafts deleted.

`time_to_live_expires_at = updated_at + time_to_live`. When it passes, the order keeps only
`id`, `order_id`, `status`, its timestamps and `deleted_at`; its events, comments and facets
go, and every draft that built it is marked `deleted` with its contents removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from shopping.db import Database
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import Clock, isoformat
from shopping.models import (
    DraftEventRow,
    DraftFacetRow,
    DraftOrderRow,
    OrderCommentRow,
    OrderEventRow,
    OrderFacetRow,
    OrderRow,
)
from shopping.webhooks.events import ORDER_DELETE
from shopping.webhooks.outbox import emit

Json = dict[str, Any]
KEPT_FIELDS = ("id", "order_id", "status", "created_at", "created_by")


async def expire_due_orders(db: Database, clock: Clock, *, batch: int = 100) -> int:
    """Empty up to `batch` expired orders in one transaction; returns how many.

    `SKIP LOCKED` lets several workers sweep side by side on Postgres without waiting on each
    other or on an API request that is changing one of the orders right now.
    """
    now = clock()
    async with db.write() as uow:
        due = await uow.all(_DUE, {"now": now, "batch": batch})
        for account_id, order_uuid, version, document, outbox_sequence in due:
            await _empty_order(
                uow, account_id, order_uuid, version, document, outbox_sequence + 1, now
            )
    return len(due)


_DUE = (
    select(
        OrderRow.account_id,
        OrderRow.id,
        OrderRow.version,
        OrderRow.document,
        OrderRow.outbox_sequence,
    )
    .where(OrderRow.expires_at <= bindparam("now"), OrderRow.deleted_at.is_(None))
    .order_by(OrderRow.expires_at)
    .limit(bindparam("batch"))
    .with_for_update(skip_locked=True)
)


async def _empty_order(
    uow: UnitOfWork,
    account_id: str,
    order_uuid: str,
    version: int,
    order: Json,
    sequence: int,
    now: datetime,
) -> None:
    """`sequence`: the number of the order's outbox message reporting it emptied."""
    draft_ids = await _drafts_of(uow, account_id, order_uuid)
    remainder = {field: order[field] for field in KEPT_FIELDS if field in order}
    remainder |= {
        "version": version + 1,
        "updated_at": isoformat(now),
        "deleted_at": isoformat(now),
    }
    for table in (OrderFacetRow, OrderEventRow, OrderCommentRow):
        await uow.execute(
            delete(table).where(table.account_id == account_id, table.order_id == order_uuid)
        )
    await uow.execute(
        update(OrderRow)
        .where(OrderRow.account_id == account_id, OrderRow.id == order_uuid)
        .values(
            document=remainder,
            version=version + 1,
            updated_at=now,
            deleted_at=now,
            expires_at=None,
            customer_id=None,
            outbox_sequence=sequence,
        )
    )
    await _delete_drafts(uow, account_id, draft_ids, now)
    await emit(
        uow,
        account_id=account_id,
        event=ORDER_DELETE,
        aggregate_id=order_uuid,
        resource={"order": remainder},
        now=now,
        sequence=sequence,
    )


async def _drafts_of(uow: UnitOfWork, account_id: str, order_uuid: str) -> set[str]:
    """The draft that created the order and every draft merged into it since."""
    created_by = select(OrderRow.draft_id).where(
        OrderRow.account_id == account_id, OrderRow.id == order_uuid
    )
    ids = {draft_id for (draft_id,) in await uow.all(created_by) if draft_id}
    events = select(OrderEventRow.event).where(
        OrderEventRow.account_id == account_id, OrderEventRow.order_id == order_uuid
    )
    for (event,) in await uow.all(events):
        if isinstance(event.get("draft_id"), str):
            ids.add(event["draft_id"])
    return ids


async def _delete_drafts(
    uow: UnitOfWork, account_id: str, draft_ids: Iterable[str], now: datetime
) -> None:
    ids = list(draft_ids)
    if not ids:
        return
    for table in (DraftFacetRow, DraftEventRow):
        await uow.execute(
            delete(table).where(table.account_id == account_id, table.draft_id.in_(ids))
        )
    await uow.execute(
        update(DraftOrderRow)
        .where(DraftOrderRow.account_id == account_id, DraftOrderRow.id.in_(ids))
        .values(status="deleted", deleted_at=now, updated_at=now, document={}, customer_id=None)
    )
