"""What the customer does on the hosted page: pay (the card decides), put on hold, decline
or cancel. One unit of work: the session (row-locked, so two presses never make two
transactions), its transaction, the order's authorization (and capture) for an order
session, and the callback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shopping.auth.principal import Principal
from shopping.checkout import repository as repo
from shopping.checkout.callbacks import return_url
from shopping.checkout.cards import Card, Outcome
from shopping.checkout.documents import (
    CARD_PRODUCT_TYPE,
    PAYMENT_PRODUCT,
    session_event,
    session_state,
    transaction_event,
)
from shopping.checkout.errors import CheckoutSessionNotFound, SessionNotPayable
from shopping.checkout.ids import account_of, new_checkout_id
from shopping.checkout.ledger import Ledger
from shopping.checkout.order_link import PROCESSED_BY, record_on_order
from shopping.checkout.schemas import CaptureCreate
from shopping.checkout.service import Checkout, public_transaction
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.requests import ApiCall
from shopping.payment_operations.rules import AUTHORIZATION

Json = dict[str, Any]


class Action(StrEnum):
    PAY = "pay"
    ON_HOLD = "on_hold"
    DECLINE = "decline"
    CANCEL = "cancel"


#: the page's `state` → why the session cannot be paid
NOT_PAYABLE = {
    "paid": "has been processed already",
    "cancelled": "was cancelled",
    "expired": "has expired",
}


@dataclass(frozen=True, slots=True)
class Result:
    redirect_url: str
    status: str | None
    transaction_id: str | None


@dataclass(frozen=True, slots=True)
class _Decision:
    status: str
    error: str | None
    message: str | None = None


def decide(action: Action, card: Card | None) -> _Decision:
    if action is Action.DECLINE:
        return _Decision("DECLINED", "authorization", "The customer declined the payment")
    if action is Action.ON_HOLD:
        return _Decision("ON_HOLD", None)
    assert card is not None
    outcome = card.outcome
    if outcome is Outcome.AUTHORIZED:
        return _Decision("AUTHORIZED", None)
    if outcome is Outcome.AUTHENTICATION_FAILED:
        return _Decision("FAILED", "authorization", "3-D Secure verification failed")
    return _Decision("DECLINED", "failed", "The card was declined")


def page_call(session_id: str, path: str, origin: str) -> ApiCall:
    """The checkout's own identity when the page changes an order (its api-events and
    operations say `dintero-checkout`)."""
    account_id = account_of(session_id) or ""
    principal = Principal(account_id, PROCESSED_BY, frozenset())
    base_url = f"{origin.rstrip('/')}/v1/accounts/{account_id}/shopping"
    return ApiCall(principal, "POST", path, None, base_url)


class PaymentPage:
    def __init__(self, checkout: Checkout) -> None:
        self.checkout = checkout

    async def load(self, uow: UnitOfWork, session_id: str) -> tuple[Json, str]:
        """The session and its state (`open`, `paid`, `cancelled`, `expired`)."""
        account_id = account_of(session_id)
        if account_id is None:
            raise CheckoutSessionNotFound(session_id)
        session = await self.checkout.session(uow, account_id, session_id)
        return session, session_state(session, self.checkout.clock())

    async def act(
        self, uow: UnitOfWork, call: ApiCall, session_id: str, action: Action, card: Card | None
    ) -> Result:
        account_id = account_of(session_id)
        if account_id is None:
            raise CheckoutSessionNotFound(session_id)
        record = await self.checkout.session_record(uow, account_id, session_id, lock=True)
        state = session_state(record.session, self.checkout.clock())
        if state != "open":
            raise SessionNotPayable(session_id, NOT_PAYABLE[state])
        if action is Action.CANCEL:
            return await self._cancel(uow, record)
        return await self._pay(uow, call, record, decide(action, card), card)

    async def _cancel(self, uow: UnitOfWork, record: repo.SessionRecord) -> Result:
        now = self.checkout.clock()
        record.cancelled_at = now
        record.session = {
            **record.session,
            "cancelled_at": isoformat(now),
            "cancelled_by": "customer",
            "updated_at": isoformat(now),
            "events": [*record.session["events"], session_event("CANCELLED", now)],
        }
        await self.checkout.queue_callback(uow, record, None, "cancelled")
        await repo.save_session(uow, record)
        return Result(return_url(record.session, None, "cancelled"), None, None)

    async def _pay(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        record: repo.SessionRecord,
        decision: _Decision,
        card: Card | None,
    ) -> Result:
        now = self.checkout.clock()
        session = record.session
        transaction = _new_transaction(record, decision, card, isoformat(now))
        ledger_lines = [
            {"line_id": key, "amount": amount}
            for key, (_, amount) in Ledger(transaction).lines.items()
            if amount
        ]
        success = decision.status in {"AUTHORIZED", "ON_HOLD"}
        error = None if decision.error is None else {"message": decision.message}
        transaction["events"] = [
            transaction_event(
                "AUTHORIZE",
                decision.status,
                transaction["amount"],
                now,
                PROCESSED_BY,
                success=decision.status == "AUTHORIZED",
                items=ledger_lines if success else None,
                error=error,
            )
        ]
        await repo.insert_transaction(uow, _transaction_row(record, transaction, now))
        tx_record = repo.TransactionRecord(
            record.account_id, transaction["id"], record.id, decision.status, transaction
        )
        if decision.status == "AUTHORIZED":
            if record.order_id is not None:
                await record_on_order(
                    self.checkout.payments,
                    uow,
                    call,
                    record.order_id,
                    AUTHORIZATION,
                    transaction,
                    ledger_lines,
                    isoformat(now),
                )
            if (session.get("configuration") or {}).get("auto_capture") and transaction["amount"]:
                await self.checkout.capture_record(
                    uow, call, tx_record, CaptureCreate(amount=transaction["amount"])
                )
        event_name = decision.status if decision.status != "ON_HOLD" else "COMPLETED"
        record.transaction_id = transaction["id"]
        record.session = {
            **session,
            "transaction_id": transaction["id"],
            "updated_at": isoformat(now),
            "events": [
                *session["events"],
                session_event(
                    event_name,
                    now,
                    payment_product_type=CARD_PRODUCT_TYPE,
                    transaction_status=decision.status,
                ),
            ],
        }
        public = public_transaction(tx_record.transaction)
        await self.checkout.queue_callback(uow, record, public, decision.error)
        await repo.save_session(uow, record)
        return Result(
            return_url(record.session, transaction["id"], decision.error),
            tx_record.status,
            transaction["id"],
        )


def _new_transaction(
    record: repo.SessionRecord, decision: _Decision, card: Card | None, now: str
) -> Json:
    session, order = record.session, record.session["order"]
    transaction: Json = {
        "id": new_checkout_id(record.account_id),
        "session_id": record.id,
        "created_at": now,
        "updated_at": now,
        "merchant_reference": order["merchant_reference"],
        "amount": order["amount"],
        "currency": order["currency"],
        "status": decision.status,
        "payment_product": PAYMENT_PRODUCT,
        "payment_product_type": CARD_PRODUCT_TYPE,
        "channel": "ecommerce",
        "metadata": session.get("metadata") or {},
        "url": {
            "redirect_url": session["url"]["return_url"],
            "callback_url": session["url"].get("callback_url"),
        },
    }
    for name in ("merchant_reference_2",):
        if order.get(name) is not None:
            transaction[name] = order[name]
    if order.get("items"):
        transaction["items"] = order["items"]
    if session.get("customer"):
        transaction["customer"] = session["customer"]
    if card is not None:
        transaction["card"] = {
            "brand": card.brand,
            "masked_pan": card.masked_pan,
            "type": "Credit",
            "authentication_status": "N" if decision.status == "FAILED" else "Y",
        }
    if record.order_id is not None:
        transaction["shopping_order_id"] = record.order_id
    return transaction


def _transaction_row(record: repo.SessionRecord, transaction: Json, now: Any) -> Json:
    return {
        "account_id": record.account_id,
        "id": transaction["id"],
        "session_id": record.id,
        "created_at": now,
        "status": transaction["status"],
        "merchant_reference": transaction["merchant_reference"],
        "merchant_reference_2": transaction.get("merchant_reference_2"),
        "customer_id": (transaction.get("customer") or {}).get("customer_id"),
        "payment_product_type": transaction["payment_product_type"],
        "card_brand": (transaction.get("card") or {}).get("brand"),
        "amount": transaction["amount"],
        "transaction": transaction,
    }
