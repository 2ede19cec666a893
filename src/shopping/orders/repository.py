"""Queries and locks for orders and their events. Every statement is scoped by account."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Text,
    and_,
    bindparam,
    cast,
    delete,
    or_,
    select,
)
from sqlalchemy.sql import Select, Subquery
from sqlalchemy.sql.elements import UnaryExpression

from shopping.db import paging
from shopping.db.dialect import insert_facets
from shopping.db.paging import Cursor
from shopping.db.statements import insert_into, key_params, set_params, table_of, update_by_key
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import OrderEventRow, OrderFacetRow, OrderRow
from shopping.orders.facets import STORE, Facet

Json = dict[str, Any]
_UPPER_BOUND = "\U0010ffff"  # sorts after every other code point: closes a prefix range


@dataclass(slots=True)
class OrderRecord:
    id: str
    version: int
    document: Json
    #: `seq` of the order's latest event, `sequence` of its latest outbox message
    event_sequence: int
    outbox_sequence: int


async def insert_order(uow: UnitOfWork, account_id: str, values: Json) -> None:
    await uow.queue(insert_into(OrderRow), {"account_id": account_id, **values})


async def update_order(uow: UnitOfWork, account_id: str, order_uuid: str, values: Json) -> None:
    stmt = update_by_key(OrderRow, ("account_id", "id"), tuple(values))
    await uow.queue(
        stmt, {**key_params(account_id=account_id, id=order_uuid), **set_params(**values)}
    )


_ORDERS = table_of(OrderRow)
_POSITION = paging.position_query(OrderRow)


def _by(key: str, *columns: Any) -> Select[Any]:
    return select(*columns).where(
        _ORDERS.c.account_id == bindparam("account_id"), _ORDERS.c[key] == bindparam("reference")
    )


_RECORD = (
    _ORDERS.c.id,
    _ORDERS.c.version,
    _ORDERS.c.document,
    _ORDERS.c.event_sequence,
    _ORDERS.c.outbox_sequence,
)
_TEXT = (_ORDERS.c.id, _ORDERS.c.version, cast(_ORDERS.c.document, Text).label("text"))
#: An order is named by its `id` or its business `order_id` (reference §10.4), and `id` wins
#: over another order whose order_id happens to equal it. One key at a time: `id = x OR
#: order_id = x` made Postgres plan and run a bitmap OR over two indexes on every read.
_LOOKUPS: dict[tuple[str, str, bool], Select[Any]] = {
    ("record", "id", False): _by("id", *_RECORD),
    ("record", "id", True): _by("id", *_RECORD).with_for_update(),
    ("record", "order_id", False): _by("order_id", *_RECORD),
    ("record", "order_id", True): _by("order_id", *_RECORD).with_for_update(),
    ("text", "id", False): _by("id", *_TEXT),
    ("text", "order_id", False): _by("order_id", *_TEXT),
}
#: The ids this service gives orders (`new_uuid`): any other reference can only be an order_id.
_ORDER_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def _find(
    uow: UnitOfWork, shape: str, account_id: str, reference: str, lock: bool = False
) -> Any:
    keys = ("id", "order_id") if _ORDER_UUID.fullmatch(reference) else ("order_id",)
    params = {"account_id": account_id, "reference": reference}
    for key in keys:
        row = await uow.one(_LOOKUPS[shape, key, lock], params)
        if row is not None:
            return row
    return None


@dataclass(slots=True)
class OrderText:
    """An order as its stored JSON text (reads that return it as is)."""

    id: str
    version: int
    text: str


async def get_order_text(uow: UnitOfWork, account_id: str, reference: str) -> OrderText | None:
    row = await _find(uow, "text", account_id, reference)
    return OrderText(row.id, row.version, row.text) if row is not None else None


async def get_order(
    uow: UnitOfWork, account_id: str, reference: str, *, lock: bool = False
) -> OrderRecord | None:
    row = await _find(uow, "record", account_id, reference, lock)
    return OrderRecord(*row) if row is not None else None


async def replace_facets(
    uow: UnitOfWork,
    account_id: str,
    order_uuid: str,
    old: set[Facet],
    new: set[Facet],
    *,
    created_at: datetime,
) -> None:
    """Bring an order's facet rows from `old` to `new`, touching only the difference."""
    for name, value in sorted(old - new):
        await uow.queue(
            _DELETE_FACET,
            {"account_id": account_id, "name": name, "value": value, "order_id": order_uuid},
        )
    if added := new - old:
        await insert_facets(
            uow,
            OrderFacetRow,
            "order_id",
            account_id=account_id,
            owner_id=order_uuid,
            pairs=sorted(added),
            created_at=created_at,
        )


_EVENTS = table_of(OrderEventRow)
_FACETS = table_of(OrderFacetRow)
_DELETE_FACET = delete(_FACETS).where(
    _FACETS.c.account_id == bindparam("account_id"),
    _FACETS.c.name == bindparam("name"),
    _FACETS.c.value == bindparam("value"),
    _FACETS.c.order_id == bindparam("order_id"),
)


async def append_event(
    uow: UnitOfWork,
    account_id: str,
    order_uuid: str,
    event: Json,
    created_at: datetime,
    *,
    seq: int,
) -> None:
    """Append as the order's event number `seq`; callers hold the order's row lock and store
    `seq` as the order's `event_sequence`."""
    await uow.queue(
        insert_into(OrderEventRow),
        {
            "account_id": account_id,
            "order_id": order_uuid,
            "seq": seq,
            "id": event["id"],
            "event_type": event["event_type"],
            "created_at": created_at,
            "event": event,
        },
    )


async def events_of(
    uow: UnitOfWork, account_id: str, order_uuids: Iterable[str], event_types: Iterable[str]
) -> dict[str, list[Json]]:
    """Events of several orders in one query (no N+1 on lists), oldest first."""
    ids, types = list(order_uuids), list(event_types)
    out: dict[str, list[Json]] = {order_uuid: [] for order_uuid in ids}
    if not ids or not types:
        return out
    rows = await uow.all(_EVENTS_OF, {"account_id": account_id, "ids": ids, "types": types})
    for order_uuid, event in rows:
        out[order_uuid].append(event)
    return out


_EVENTS_OF = (
    select(OrderEventRow.order_id, OrderEventRow.event)
    .where(
        OrderEventRow.account_id == bindparam("account_id"),
        OrderEventRow.order_id.in_(bindparam("ids", expanding=True)),
        OrderEventRow.event_type.in_(bindparam("types", expanding=True)),
    )
    .order_by(OrderEventRow.order_id, OrderEventRow.seq)
)


@dataclass(frozen=True, slots=True)
class OrderFilters:
    statuses: tuple[str, ...] = ()
    payment_statuses: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    customer_id: str | None = None
    created_from: datetime | None = None
    created_until: datetime | None = None
    net_amount_gte: int | None = None
    net_amount_lte: int | None = None
    #: facet name → accepted values (OR within a name, AND across names)
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: facet name → a prefix that some value must start with
    prefixes: tuple[tuple[str, str], ...] = ()


async def cursor_position(uow: UnitOfWork, account_id: str, order_uuid: str) -> Cursor | None:
    return await paging.cursor_position(uow, _POSITION, account_id, order_uuid)


async def list_orders(
    uow: UnitOfWork,
    account_id: str,
    filters: OrderFilters,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
    as_text: bool = False,
) -> list[Any]:
    """Newest first (created_at desc, id desc), starting after the cursor position:
    OrderRecords, or OrderTexts with `as_text`.

    One statement: the page is chosen on narrow rows in a subquery (its LIMIT keeps it
    apart), then only its documents are read, by primary key. However the planner orders the
    filtering (fresh tables have no statistics), it never sorts, joins or converts the
    documents of orders that are not on the page.
    """
    kind = OrderText if as_text else OrderRecord
    if filters == _NO_FILTERS and after is None:  # the common first page: prebuilt
        rows = await uow.all(_FIRST_PAGE[as_text], {"account_id": account_id, "limit": limit})
        return [kind(*row) for row in rows]
    driving = _driving_facet(filters)
    if driving is not None:
        # the orders of one facet value (a store's), newest first along that facet's index
        name, value = driving
        filters = dataclasses.replace(
            filters, facets=tuple(f for f in filters.facets if f != (name, (value,)))
        )
        stmt = (
            select(OrderFacetRow.order_id.label("id"), OrderFacetRow.created_at)
            .join(
                OrderRow,
                and_(
                    OrderRow.account_id == OrderFacetRow.account_id,
                    OrderRow.id == OrderFacetRow.order_id,
                ),
            )
            .where(
                OrderFacetRow.account_id == account_id,
                OrderFacetRow.name == name,
                OrderFacetRow.value == value,
                OrderRow.account_id == account_id,
                OrderRow.deleted_at.is_(None),
            )
        )
        newest_first: tuple[UnaryExpression[Any], ...] = (
            OrderFacetRow.created_at.desc(),
            OrderFacetRow.order_id.desc(),
        )
    else:
        stmt = select(OrderRow.id, OrderRow.created_at).where(
            OrderRow.account_id == account_id, OrderRow.deleted_at.is_(None)
        )
        newest_first = (OrderRow.created_at.desc(), OrderRow.id.desc())
    column_filters = (
        (OrderRow.status, filters.statuses),
        (OrderRow.payment_status, filters.payment_statuses),
        (OrderRow.currency, filters.currencies),
    )
    for column, values in column_filters:
        if values:
            stmt = stmt.where(column.in_(values))
    if filters.customer_id is not None:
        stmt = stmt.where(OrderRow.customer_id == filters.customer_id)
    stmt = stmt.where(
        *paging.bounds(
            OrderRow,
            created_from=filters.created_from,
            created_until=filters.created_until,
            net_amount_gte=filters.net_amount_gte,
            net_amount_lte=filters.net_amount_lte,
        )
    )
    for name, values in filters.facets:
        stmt = stmt.where(
            OrderRow.id.in_(_facet_match(account_id, name, OrderFacetRow.value.in_(values)))
        )
    for name, prefix in filters.prefixes:
        in_range = and_(OrderFacetRow.value >= prefix, OrderFacetRow.value < prefix + _UPPER_BOUND)
        stmt = stmt.where(OrderRow.id.in_(_facet_match(account_id, name, in_range)))
    if after is not None:
        if driving is not None:
            created_at, order_uuid = after
            stmt = stmt.where(
                or_(
                    OrderFacetRow.created_at < created_at,
                    and_(
                        OrderFacetRow.created_at == created_at,
                        OrderFacetRow.order_id < order_uuid,
                    ),
                )
            )
        else:
            stmt = stmt.where(paging.after(OrderRow, after))
    page = stmt.order_by(*newest_first).limit(limit)
    rows = await uow.all(_with_documents(page.subquery("page"), account_id, as_text))
    return [kind(*row) for row in rows]


def _with_documents(page: Subquery, account_id: Any, as_text: bool) -> Select[Any]:
    """The documents of a page (a subquery of `id`, `created_at`), in its order."""
    orders = _ORDERS.alias("listed")
    columns = (
        (orders.c.id, orders.c.version, cast(orders.c.document, Text))
        if as_text
        else (orders.c[c.key] for c in _RECORD)
    )
    return (
        select(*columns)
        .join_from(page, orders, and_(orders.c.account_id == account_id, orders.c.id == page.c.id))
        .order_by(page.c.created_at.desc(), page.c.id.desc())
    )


def _first_page(as_text: bool) -> Select[Any]:
    page = (
        select(_ORDERS.c.id, _ORDERS.c.created_at)
        .where(_ORDERS.c.account_id == bindparam("account_id"), _ORDERS.c.deleted_at.is_(None))
        .order_by(_ORDERS.c.created_at.desc(), _ORDERS.c.id.desc())
        .limit(bindparam("limit"))
    )
    return _with_documents(page.subquery("page"), bindparam("account_id"), as_text)


_FIRST_PAGE = {as_text: _first_page(as_text) for as_text in (False, True)}


_NO_FILTERS = OrderFilters()


def _driving_facet(filters: OrderFilters) -> tuple[str, str] | None:
    """The store facet, when the list asks for exactly one store: it leads the query."""
    for name, values in filters.facets:
        if name == STORE and len(values) == 1:
            return name, values[0]
    return None


def _facet_match(account_id: str, name: str, condition: Any) -> Select[Any]:
    return select(OrderFacetRow.order_id).where(
        OrderFacetRow.account_id == account_id, OrderFacetRow.name == name, condition
    )
