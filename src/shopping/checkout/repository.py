"""Queries on checkout sessions, transactions and signature secrets; every statement is
scoped by account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import Row

from shopping.db.unit_of_work import UnitOfWork
from shopping.models import CheckoutSessionRow, CheckoutSignatureRow, CheckoutTransactionRow

Json = dict[str, Any]
S, T, SIG = CheckoutSessionRow, CheckoutTransactionRow, CheckoutSignatureRow

_SESSION = select(S.__table__).where(
    S.account_id == bindparam("account_id"), S.id == bindparam("id")
)
_SESSION_LOCKED = _SESSION.with_for_update()
_INSERT_SESSION = insert(S)
_UPDATE_SESSION = (
    update(S)
    .where(S.account_id == bindparam("b_account_id"), S.id == bindparam("b_id"))
    .values(
        transaction_id=bindparam("transaction_id"),
        cancelled_at=bindparam("cancelled_at"),
        callback_sequence=bindparam("callback_sequence"),
        session=bindparam("session"),
    )
)
_TRANSACTION = select(T.__table__).where(
    T.account_id == bindparam("account_id"), T.id == bindparam("id")
)
_TRANSACTION_LOCKED = _TRANSACTION.with_for_update()
_INSERT_TRANSACTION = insert(T)
_UPDATE_TRANSACTION = (
    update(T)
    .where(T.account_id == bindparam("b_account_id"), T.id == bindparam("b_id"))
    .values(status=bindparam("status"), transaction=bindparam("transaction"))
)
_SIGNATURE = select(SIG.__table__).where(SIG.account_id == bindparam("account_id"))
_DELETE_SIGNATURE = delete(SIG).where(SIG.account_id == bindparam("account_id"))
_INSERT_SIGNATURE = insert(SIG)


@dataclass
class SessionRecord:
    account_id: str
    id: str
    created_at: datetime
    expires_at: datetime
    merchant_reference: str
    order_id: str | None
    transaction_id: str | None
    cancelled_at: datetime | None
    callback_sequence: int
    session: Json

    @classmethod
    def of(cls, row: Row[Any]) -> SessionRecord:
        found = row
        return cls(
            found.account_id,
            found.id,
            found.created_at,
            found.expires_at,
            found.merchant_reference,
            found.order_id,
            found.transaction_id,
            found.cancelled_at,
            found.callback_sequence,
            dict(found.session),
        )


@dataclass
class TransactionRecord:
    account_id: str
    id: str
    session_id: str
    status: str
    transaction: Json = field(default_factory=dict)

    @classmethod
    def of(cls, row: Row[Any]) -> TransactionRecord:
        found = row
        return cls(
            found.account_id, found.id, found.session_id, found.status, dict(found.transaction)
        )


# ---- sessions ------------------------------------------------------------------------------
async def insert_session(uow: UnitOfWork, values: Json) -> None:
    await uow.execute(_INSERT_SESSION, values)


async def get_session(
    uow: UnitOfWork, account_id: str, session_id: str, *, lock: bool = False
) -> SessionRecord | None:
    row = await uow.one(
        _SESSION_LOCKED if lock else _SESSION, {"account_id": account_id, "id": session_id}
    )
    return None if row is None else SessionRecord.of(row)


async def save_session(uow: UnitOfWork, record: SessionRecord) -> None:
    await uow.execute(
        _UPDATE_SESSION,
        {
            "b_account_id": record.account_id,
            "b_id": record.id,
            "transaction_id": record.transaction_id,
            "cancelled_at": record.cancelled_at,
            "callback_sequence": record.callback_sequence,
            "session": record.session,
        },
    )


async def list_sessions(
    uow: UnitOfWork,
    account_id: str,
    *,
    merchant_reference: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Json]:
    stmt = select(S.session).where(S.account_id == account_id)
    if merchant_reference is not None:
        stmt = stmt.where(S.merchant_reference == merchant_reference)
    stmt = _newest_first(stmt, S.created_at, S.id, after).limit(limit)
    return [dict(row[0]) for row in await uow.all(stmt)]


async def session_position(
    uow: UnitOfWork, account_id: str, session_id: str
) -> tuple[datetime, str] | None:
    record = await get_session(uow, account_id, session_id)
    return None if record is None else (record.created_at, record.id)


# ---- transactions --------------------------------------------------------------------------
async def insert_transaction(uow: UnitOfWork, values: Json) -> None:
    await uow.execute(_INSERT_TRANSACTION, values)


async def get_transaction(
    uow: UnitOfWork, account_id: str, transaction_id: str, *, lock: bool = False
) -> TransactionRecord | None:
    row = await uow.one(
        _TRANSACTION_LOCKED if lock else _TRANSACTION,
        {"account_id": account_id, "id": transaction_id},
    )
    return None if row is None else TransactionRecord.of(row)


async def save_transaction(uow: UnitOfWork, record: TransactionRecord) -> None:
    await uow.execute(
        _UPDATE_TRANSACTION,
        {
            "b_account_id": record.account_id,
            "b_id": record.id,
            "status": record.status,
            "transaction": record.transaction,
        },
    )


@dataclass(frozen=True)
class TransactionFilters:
    ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    session_ids: tuple[str, ...] = ()
    payment_product_types: tuple[str, ...] = ()
    card_brands: tuple[str, ...] = ()
    merchant_reference: str | None = None
    merchant_reference_2: str | None = None
    customer_id: str | None = None
    amount: int | None = None
    amount_gte: int | None = None
    amount_lte: int | None = None
    created_gte: datetime | None = None
    created_lte: datetime | None = None


async def list_transactions(
    uow: UnitOfWork,
    account_id: str,
    filters: TransactionFilters,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Json]:
    stmt = select(T.transaction).where(T.account_id == account_id)
    for column, values in (
        (T.id, filters.ids),
        (T.status, filters.statuses),
        (T.session_id, filters.session_ids),
        (T.payment_product_type, filters.payment_product_types),
        (T.card_brand, filters.card_brands),
    ):
        if values:
            stmt = stmt.where(column.in_(values))
    for column, value in (
        (T.merchant_reference, filters.merchant_reference),
        (T.merchant_reference_2, filters.merchant_reference_2),
        (T.customer_id, filters.customer_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.amount is not None:
        stmt = stmt.where(T.amount == filters.amount)
    if filters.amount_gte is not None:
        stmt = stmt.where(T.amount >= filters.amount_gte)
    if filters.amount_lte is not None:
        stmt = stmt.where(T.amount <= filters.amount_lte)
    if filters.created_gte is not None:
        stmt = stmt.where(T.created_at >= filters.created_gte)
    if filters.created_lte is not None:
        stmt = stmt.where(T.created_at <= filters.created_lte)
    stmt = _newest_first(stmt, T.created_at, T.id, after).limit(limit)
    return [dict(row[0]) for row in await uow.all(stmt)]


async def transaction_position(
    uow: UnitOfWork, account_id: str, transaction_id: str
) -> tuple[datetime, str] | None:
    row = await uow.one(
        select(T.created_at, T.id).where(T.account_id == account_id, T.id == transaction_id)
    )
    return None if row is None else (row.created_at, row.id)


# ---- signature secrets ---------------------------------------------------------------------
async def get_signature(uow: UnitOfWork, account_id: str) -> Json | None:
    row = await uow.one(_SIGNATURE, {"account_id": account_id})
    if row is None:
        return None
    found = row
    return {
        "id": found.id,
        "created_at": found.created_at,
        "created_by": found.created_by,
        "secret": found.secret,
    }


async def replace_signature(uow: UnitOfWork, account_id: str, values: Json) -> None:
    await uow.execute(_DELETE_SIGNATURE, {"account_id": account_id})
    await uow.execute(_INSERT_SIGNATURE, {"account_id": account_id, **values})


def _newest_first(
    stmt: Select[Any], created_at: Any, id_column: Any, after: tuple[datetime, str] | None
) -> Select[Any]:
    if after is not None:
        moment, last_id = after
        stmt = stmt.where(or_(created_at < moment, and_(created_at == moment, id_column < last_id)))
    return stmt.order_by(created_at.desc(), id_column.desc())
