"""The transactional outbox: `emit` writes an event in the caller's transaction, so it exists
exactly when the change it reports was committed; a rolled-back request emits nothing.

Reading in commit order (the event feed and the relay) uses a horizon: on Postgres only
messages of transactions older than the oldest one still running are read, so a reader never
sees message N+1 before a slower transaction commits message N. SQLite has one writer at a
time, so its positions already are commit order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, and_, bindparam, func, insert, literal_column, or_, select
from sqlalchemy.sql import ColumnElement, Select

from shopping.db.statements import table_of
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.models import OutboxMessageRow

Json = dict[str, Any]
_PG_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


@dataclass(frozen=True, slots=True)
class Message:
    account_id: str
    event_id: str
    tx_id: int
    position: int
    event: str
    aggregate_id: str
    sequence: int
    created_at: datetime
    payload: Json

    def body(self) -> Json:
        """The webhook/feed body (without the per-delivery `event_delivery`)."""
        return {
            "account_id": self.account_id,
            "event": self.event,
            "event_id": self.event_id,
            "sequence": self.sequence,
            "created_at": isoformat(self.created_at),
            **self.payload,
        }


async def emit(
    uow: UnitOfWork,
    *,
    account_id: str,
    event: str,
    aggregate_id: str,
    resource: Json,
    now: datetime,
    sequence: int,
) -> str:
    """Record `event` about a draft or order (`resource`: `{"draft": …}`, `{"order": …}` …).

    `sequence` is the event's number among the draft's or order's events (1, 2, 3 …): the
    caller holds the aggregate's row lock and stores the number on that row in the same
    transaction, which makes the numbers gap-free and ordered; the unique index on
    (account, aggregate, sequence) refuses a number used twice.
    """
    event_id = new_uuid()
    await uow.queue(
        _insert_statement(uow.dialect),
        {
            "account_id": account_id,
            "event_id": event_id,
            "event": event,
            "aggregate_id": aggregate_id,
            "sequence": sequence,
            "created_at": now,
            "payload": resource,
        },
    )
    return event_id


#: A message's place in commit order on Postgres: its transaction's id, raised to the newest
#: transaction id that had ended when the statement's snapshot was taken. A transaction takes
#: its id when it first asks for the aggregate's row lock, so one that waited for the lock may
#: hold an older id than the one it waited for; that one had ended before the waiter's next
#: statement took its snapshot, so the raise orders the waiter's message after it (readers
#: see one draft's or order's events in `sequence` order). It stays >= the own id, so the
#: horizon rule holds, and names only ids that were handed out, so an idle database never
#: holds a message back.
_PG_ORDER = (
    "greatest(pg_current_xact_id()::text::bigint, "
    "pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1)"
)


@cache
def _insert_statement(dialect: str) -> Insert:
    """Built once per dialect: on Postgres `tx_id` is the place in commit order above, on
    SQLite (one writer) `position` and `tx_id` are the next number."""
    table = table_of(OutboxMessageRow)
    values: dict[str, Any] = {
        name: bindparam(name)
        for name in (
            "account_id",
            "event_id",
            "event",
            "aggregate_id",
            "sequence",
            "created_at",
            "payload",
        )
    }
    if dialect == "postgresql":
        values["tx_id"] = literal_column(_PG_ORDER)
    else:
        next_position = select(func.coalesce(func.max(table.c.tx_id), 0) + 1).scalar_subquery()
        values["tx_id"] = next_position
        values["position"] = next_position
    return insert(table).values(values)


_COLUMNS = (
    OutboxMessageRow.account_id,
    OutboxMessageRow.event_id,
    OutboxMessageRow.tx_id,
    OutboxMessageRow.position,
    OutboxMessageRow.event,
    OutboxMessageRow.aggregate_id,
    OutboxMessageRow.sequence,
    OutboxMessageRow.created_at,
    OutboxMessageRow.payload,
)


def messages_where(*conditions: ColumnElement[bool]) -> Select[Any]:
    return select(*_COLUMNS).where(*conditions)


def committed_after(
    dialect: str, after: tuple[int, int] | None, *extra: ColumnElement[bool]
) -> Select[Any]:
    """Messages past the cursor `(tx_id, position)` in commit order, below the horizon."""
    stmt = select(*_COLUMNS).where(*extra)
    if dialect == "postgresql":
        stmt = stmt.where(OutboxMessageRow.tx_id < literal_column(_PG_HORIZON))
    if after is not None:
        tx_id, position = after
        stmt = stmt.where(
            or_(
                OutboxMessageRow.tx_id > tx_id,
                and_(OutboxMessageRow.tx_id == tx_id, OutboxMessageRow.position > position),
            )
        )
    return stmt.order_by(OutboxMessageRow.tx_id, OutboxMessageRow.position)


async def read_account_feed(
    uow: UnitOfWork, account_id: str, after_event_id: str | None, limit: int
) -> list[Message] | None:
    """The account's events after `after_event_id` in commit order; None if the cursor is
    not one of the account's events."""
    after = None
    if after_event_id is not None:
        row = await uow.one(_FEED_POSITION, {"account_id": account_id, "event_id": after_event_id})
        if row is None:
            return None
        after = (row.tx_id, row.position)
    stmt = committed_after(uow.dialect, after, OutboxMessageRow.account_id == account_id)
    return [Message(*row) for row in await uow.all(stmt.limit(limit))]


_FEED_POSITION = select(OutboxMessageRow.tx_id, OutboxMessageRow.position).where(
    OutboxMessageRow.account_id == bindparam("account_id"),
    OutboxMessageRow.event_id == bindparam("event_id"),
)
