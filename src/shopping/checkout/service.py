"""Checkout use cases: sessions, transactions and their captures, refunds and voids, and the
account's callback-signing secret. Every write runs in the caller's unit of work; changes to
an order go through the payment-operations service (order_link.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shopping.checkout import repository as repo
from shopping.checkout.callbacks import plan_callback
from shopping.checkout.documents import session_event, transaction_event
from shopping.checkout.errors import (
    CheckoutSessionNotFound,
    SessionNotCancellable,
    SignatureSecretNotFound,
    TransactionNotFound,
)
from shopping.checkout.ids import new_checkout_id
from shopping.checkout.ledger import KINDS, Ledger, assert_allowed, status_after
from shopping.checkout.order_link import record_on_order
from shopping.checkout.schemas import CaptureCreate, OperationItems, RefundCreate
from shopping.db.unit_of_work import UnitOfWork
from shopping.errors import ValidationFailed
from shopping.kit.clock import Clock, isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.payment_operations.service import PaymentOperations
from shopping.webhooks.callbacks import enqueue_callback

Json = dict[str, Any]
DEFAULT_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class NewSession:
    """What a session is made of: a `POST /sessions-profile` body, or an order session."""

    document: Json
    order_id: str | None = None


class Checkout:
    def __init__(self, clock: Clock, payments: PaymentOperations) -> None:
        self.clock = clock
        self.payments = payments

    # ---- sessions ------------------------------------------------------------------------
    async def create_session(self, uow: UnitOfWork, call: ApiCall, new: NewSession) -> Json:
        now = self.clock()
        data = new.document
        expires_at = data.pop("expires_at", None)
        expires = now + DEFAULT_LIFETIME if expires_at is None else _moment(expires_at)
        if expires <= now:
            raise ValidationFailed(
                "expires_at must be in the future",
                errors=[{"path": "expires_at", "message": "in the past"}],
            )
        session_id = new_checkout_id(call.account_id)
        metadata = {**(data.pop("metadata", None) or {}), "session:profile_id": data["profile_id"]}
        session = {
            "id": session_id,
            **data,
            "created_at": isoformat(now),
            "updated_at": isoformat(now),
            "expires_at": isoformat(expires),
            "metadata": metadata,
            "events": [session_event("INITIATED", now)],
        }
        await repo.insert_session(
            uow,
            {
                "account_id": call.account_id,
                "id": session_id,
                "created_at": now,
                "expires_at": expires,
                "merchant_reference": data["order"]["merchant_reference"],
                "order_id": new.order_id,
                "transaction_id": None,
                "cancelled_at": None,
                "callback_sequence": 0,
                "session": session,
            },
        )
        return session

    async def session(self, uow: UnitOfWork, account_id: str, session_id: str) -> Json:
        return (await self.session_record(uow, account_id, session_id)).session

    async def session_record(
        self, uow: UnitOfWork, account_id: str, session_id: str, *, lock: bool = False
    ) -> repo.SessionRecord:
        record = await repo.get_session(uow, account_id, session_id, lock=lock)
        if record is None:
            raise CheckoutSessionNotFound(session_id)
        return record

    async def list_sessions(
        self,
        uow: UnitOfWork,
        account_id: str,
        *,
        merchant_reference: str | None,
        starting_after: str | None,
        limit: int,
    ) -> list[Json]:
        after = None
        if starting_after is not None:
            after = await repo.session_position(uow, account_id, starting_after)
            if after is None:
                raise _bad_cursor(starting_after)
        return await repo.list_sessions(
            uow, account_id, merchant_reference=merchant_reference, after=after, limit=limit
        )

    async def cancel_session(
        self, uow: UnitOfWork, call: ApiCall, session_id: str, cancelled_by: str
    ) -> Json:
        """Cancel an unpaid session; a paid one only while its transaction can be voided
        (then the authorization is voided)."""
        record = await self.session_record(uow, call.account_id, session_id, lock=True)
        if record.cancelled_at is not None:
            raise SessionNotCancellable(session_id, "it is cancelled already")
        if record.transaction_id is not None:
            transaction = await self._transaction(uow, call.account_id, record.transaction_id)
            if transaction.status != "AUTHORIZED":
                raise SessionNotCancellable(session_id, f"its transaction is {transaction.status}")
            await self._operate(uow, call, transaction, "VOID", None)
        now = self.clock()
        record.cancelled_at = now
        record.session = {
            **record.session,
            "cancelled_at": isoformat(now),
            "cancelled_by": cancelled_by,
            "updated_at": isoformat(now),
            "events": [*record.session["events"], session_event("CANCELLED", now)],
        }
        await repo.save_session(uow, record)
        return record.session

    async def queue_callback(
        self,
        uow: UnitOfWork,
        record: repo.SessionRecord,
        transaction: Json | None,
        error: str | None,
    ) -> None:
        now = self.clock()
        plan = plan_callback(record.session, transaction, error, now)
        if plan is None:
            return
        record.callback_sequence += 1
        await enqueue_callback(
            uow,
            account_id=record.account_id,
            session_id=record.id,
            sequence=record.callback_sequence,
            request=plan.request,
            now=now,
            due_at=now + plan.delay,
        )

    # ---- transactions --------------------------------------------------------------------
    async def transaction(self, uow: UnitOfWork, account_id: str, transaction_id: str) -> Json:
        return (await self._transaction(uow, account_id, transaction_id)).transaction

    async def list_transactions(
        self,
        uow: UnitOfWork,
        account_id: str,
        filters: repo.TransactionFilters,
        *,
        starting_after: str | None,
        limit: int,
    ) -> list[Json]:
        after = None
        if starting_after is not None:
            after = await repo.transaction_position(uow, account_id, starting_after)
            if after is None:
                raise _bad_cursor(starting_after)
        return await repo.list_transactions(uow, account_id, filters, after=after, limit=limit)

    async def capture(
        self, uow: UnitOfWork, call: ApiCall, transaction_id: str, body: CaptureCreate
    ) -> Json:
        record = await self._transaction(uow, call.account_id, transaction_id, lock=True)
        return await self._operate(uow, call, record, "CAPTURE", body)

    async def capture_record(
        self, uow: UnitOfWork, call: ApiCall, record: repo.TransactionRecord, body: CaptureCreate
    ) -> Json:
        """Capture a transaction the caller holds already (auto-capture after paying)."""
        return await self._operate(uow, call, record, "CAPTURE", body)

    async def refund(
        self, uow: UnitOfWork, call: ApiCall, transaction_id: str, body: RefundCreate
    ) -> Json:
        record = await self._transaction(uow, call.account_id, transaction_id, lock=True)
        return await self._operate(uow, call, record, "REFUND", body)

    async def void(self, uow: UnitOfWork, call: ApiCall, transaction_id: str) -> Json:
        record = await self._transaction(uow, call.account_id, transaction_id, lock=True)
        return await self._operate(uow, call, record, "VOID", None)

    async def _operate(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.TransactionRecord,
        operation: str,
        body: OperationItems | None,
    ) -> Json:
        """Capture, refund or void: the ledger checks, the transaction's event and status,
        and the same operation on the order of an order session."""
        assert_allowed(operation, record.status)
        ledger, kind = Ledger(record.transaction), KINDS[operation]
        if body is None:  # a void releases everything not captured
            remaining = ledger.remaining(kind)
            amount = sum(remaining.values())
            lines = ledger.lines_for(kind, amount, None)
            extra: Json = {}
        else:
            data = body.to_document()
            lines = ledger.lines_for(kind, body.amount, data.get("items"))
            amount = body.amount
            extra = {k: v for k, v in data.items() if k not in {"amount", "items"}}
        now = self.clock()
        event = transaction_event(
            operation, "", amount, now, call.principal.client_id, items=lines, **extra
        )
        transaction = {
            **record.transaction,
            "events": [*record.transaction["events"], event],
            "updated_at": isoformat(now),
        }
        status = status_after(operation, Ledger(transaction).totals())
        event["transaction_status"] = status
        record.status, record.transaction = status, {**transaction, "status": status}
        order_id = record.transaction.get("shopping_order_id")
        if order_id is not None:
            await record_on_order(
                self.payments, uow, call, order_id, kind, record.transaction, lines, isoformat(now)
            )
        await repo.save_transaction(uow, record)
        return public_transaction(record.transaction)

    async def _transaction(
        self, uow: UnitOfWork, account_id: str, transaction_id: str, *, lock: bool = False
    ) -> repo.TransactionRecord:
        record = await repo.get_transaction(uow, account_id, transaction_id, lock=lock)
        if record is None:
            raise TransactionNotFound(transaction_id)
        return record

    # ---- signature secret ----------------------------------------------------------------
    async def create_signature(self, uow: UnitOfWork, call: ApiCall) -> Json:
        now = self.clock()
        values = {
            "id": new_uuid(),
            "created_at": now,
            "created_by": call.principal.client_id,
            "secret": secrets.token_hex(32),
        }
        await repo.replace_signature(uow, call.account_id, values)
        return _signature(values)

    async def signature(self, uow: UnitOfWork, account_id: str) -> Json:
        found = await repo.get_signature(uow, account_id)
        if found is None:
            raise SignatureSecretNotFound()
        return _signature(found)


def public_transaction(transaction: Json) -> Json:
    """The transaction as clients read it (without the internal link to the order)."""
    return {k: v for k, v in transaction.items() if k != "shopping_order_id"}


def _signature(values: Json) -> Json:
    return {
        "id": values["id"],
        "created_at": isoformat(values["created_at"]),
        "created_by": values["created_by"],
        "signature": {"type": "v0-hmac-sha256", "secret": values["secret"]},
    }


def _moment(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _bad_cursor(value: str) -> ValidationFailed:
    return ValidationFailed(
        f"starting_after {value} is not a known id",
        errors=[{"path": "starting_after", "message": "unknown id"}],
    )
