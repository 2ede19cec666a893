"""Queries and locks for draft orders. Every statement is scoped by account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select

from shopping.db import paging
from shopping.db.dialect import insert_facets, insert_if_absent
from shopping.db.paging import Cursor
from shopping.db.statements import insert_into, key_params, set_params, table_of, update_by_key
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import DraftEventRow, DraftFacetRow, DraftOrderRow, OrderIdReservation

Json = dict[str, Any]
_UPPER_BOUND = "\U0010ffff"  # sorts after every other code point: closes a prefix range

_COLUMNS = (
    DraftOrderRow.id,
    DraftOrderRow.status,
    DraftOrderRow.version,
    DraftOrderRow.created_at,
    DraftOrderRow.created_by,
    DraftOrderRow.updated_at,
    DraftOrderRow.completed_at,
    DraftOrderRow.deleted_at,
    DraftOrderRow.reserved_order_id,
    DraftOrderRow.document,
    DraftOrderRow.outbox_sequence,
)


@dataclass(slots=True)
class DraftRecord:
    id: str
    status: str
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    completed_at: datetime | None
    deleted_at: datetime | None
    reserved_order_id: str | None
    document: Json
    #: `sequence` of the draft's latest outbox message
    outbox_sequence: int


@dataclass(frozen=True, slots=True)
class DraftFilters:
    statuses: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    customer_id: str | None = None
    created_from: datetime | None = None
    created_until: datetime | None = None
    net_amount_gte: int | None = None
    net_amount_lte: int | None = None
    search: str | None = None


_T = table_of(DraftOrderRow)
_FACETS = table_of(DraftFacetRow)
_SELECT = select(*(_T.c[c.key] for c in _COLUMNS))
_GET = _SELECT.where(_T.c.account_id == bindparam("account_id"), _T.c.id == bindparam("draft_id"))
_GET_FOR_UPDATE = _GET.with_for_update()
_POSITION = paging.position_query(DraftOrderRow)
_ORDER_ID_OWNER = select(OrderIdReservation.draft_id).where(
    OrderIdReservation.account_id == bindparam("account_id"),
    OrderIdReservation.order_id == bindparam("order_id"),
)
_DELETE_FACETS = delete(_FACETS).where(
    _FACETS.c.account_id == bindparam("account_id"),
    _FACETS.c.name == bindparam("name"),
    _FACETS.c.value.in_(bindparam("values", expanding=True)),
    _FACETS.c.draft_id == bindparam("draft_id"),
)


async def insert_draft(uow: UnitOfWork, account_id: str, values: Json) -> None:
    await uow.queue(insert_into(DraftOrderRow), {"account_id": account_id, **values})


async def get_draft(
    uow: UnitOfWork, account_id: str, draft_id: str, *, lock: bool = False
) -> DraftRecord | None:
    """One draft; `lock=True` holds its row until commit so writers of one draft queue."""
    stmt = _GET_FOR_UPDATE if lock else _GET
    row = await uow.one(stmt, {"account_id": account_id, "draft_id": draft_id})
    return DraftRecord(*row) if row is not None else None


async def update_draft(uow: UnitOfWork, account_id: str, draft_id: str, values: Json) -> None:
    stmt = update_by_key(DraftOrderRow, ("account_id", "id"), tuple(values))
    await uow.queue(
        stmt, {**key_params(account_id=account_id, id=draft_id), **set_params(**values)}
    )


async def insert_event(
    uow: UnitOfWork, account_id: str, draft_id: str, event: Json, created_at: datetime
) -> None:
    await uow.queue(
        insert_into(DraftEventRow),
        {
            "account_id": account_id,
            "draft_id": draft_id,
            "version": event["version"],
            "id": event["id"],
            "created_at": created_at,
            "created_by": event["created_by"],
            "event": event,
        },
    )


async def replace_facets(
    uow: UnitOfWork,
    account_id: str,
    draft_id: str,
    name: str,
    old: set[str],
    new: set[str],
) -> None:
    """Bring a draft's facet rows from `old` to `new`, touching only the difference."""
    if gone := old - new:
        await uow.queue(
            _DELETE_FACETS,
            {"account_id": account_id, "name": name, "values": sorted(gone), "draft_id": draft_id},
        )
    if added := new - old:
        await insert_facets(
            uow,
            DraftFacetRow,
            "draft_id",
            account_id=account_id,
            owner_id=draft_id,
            pairs=[(name, value) for value in sorted(added)],
        )


async def reserve_order_id(
    uow: UnitOfWork, account_id: str, order_id: str, draft_id: str, now: datetime
) -> bool:
    """Claim a business order id for this account; False when it is already taken."""
    return await insert_if_absent(
        uow,
        OrderIdReservation,
        {"account_id": account_id, "order_id": order_id, "draft_id": draft_id, "created_at": now},
    )


async def cursor_position(uow: UnitOfWork, account_id: str, draft_id: str) -> Cursor | None:
    return await paging.cursor_position(uow, _POSITION, account_id, draft_id)


async def list_drafts(
    uow: UnitOfWork,
    account_id: str,
    filters: DraftFilters,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
    search_facet: str,
) -> list[DraftRecord]:
    """Newest first (created_at desc, id desc), starting after the cursor position."""
    stmt = select(*_COLUMNS).where(DraftOrderRow.account_id == account_id)
    if filters.statuses:
        stmt = stmt.where(DraftOrderRow.status.in_(filters.statuses))
    if filters.currencies:
        stmt = stmt.where(DraftOrderRow.currency.in_(filters.currencies))
    if filters.customer_id is not None:
        stmt = stmt.where(DraftOrderRow.customer_id == filters.customer_id)
    stmt = stmt.where(
        *paging.bounds(
            DraftOrderRow,
            created_from=filters.created_from,
            created_until=filters.created_until,
            net_amount_gte=filters.net_amount_gte,
            net_amount_lte=filters.net_amount_lte,
        )
    )
    if filters.search:
        matches = select(DraftFacetRow.draft_id).where(
            DraftFacetRow.account_id == account_id,
            DraftFacetRow.name == search_facet,
            DraftFacetRow.value >= filters.search,
            DraftFacetRow.value < filters.search + _UPPER_BOUND,
        )
        stmt = stmt.where(DraftOrderRow.id.in_(matches))
    if after is not None:
        stmt = stmt.where(paging.after(DraftOrderRow, after))
    stmt = stmt.order_by(DraftOrderRow.created_at.desc(), DraftOrderRow.id.desc()).limit(limit)
    return [DraftRecord(*row) for row in await uow.all(stmt)]


async def order_id_owner(uow: UnitOfWork, account_id: str, order_id: str) -> str | None:
    """The draft that claimed a business order id (None if unclaimed or claimed by none)."""
    owner: str | None = await uow.scalar(
        _ORDER_ID_OWNER, {"account_id": account_id, "order_id": order_id}
    )
    return owner
