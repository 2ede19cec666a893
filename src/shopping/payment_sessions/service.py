"""Payment-session use cases. A session only starts a checkout for some lines; it moves no
money and so has no ledger limits beyond each line's net amount."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from shopping.checkout.documents import view_url
from shopping.checkout.service import Checkout, NewSession
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.requests import ApiCall
from shopping.models import PaymentSessionRow
from shopping.orders import repository as orders_repo
from shopping.orders.errors import OrderNotFound
from shopping.orders.service import Orders
from shopping.payment_operations.errors import (
    AmountSignMismatch,
    LedgerLimitExceeded,
    OrderNotPayable,
    UnknownOrderLine,
)
from shopping.payment_operations.rules import counts
from shopping.payment_sessions.errors import SessionNotFound
from shopping.payment_sessions.schemas import PaymentSessionCreate

Json = dict[str, Any]
_INSERT_SESSION = insert(PaymentSessionRow)


class PaymentSessions:
    def __init__(self, orders: Orders, checkout: Checkout) -> None:
        self.orders = orders
        self.checkout = checkout

    async def create(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        reference: str,
        body: PaymentSessionCreate,
        checkout_base: str,
    ) -> Json:
        """Start a Checkout session for the lines (`merchant_reference` = the order's
        `order_id`); `url` is its hosted page under `checkout_base`."""
        record = await self.orders.locked(uow, call, reference)
        order = record.document
        if order.get("status") == "cancelled":
            raise OrderNotPayable("payment session")
        data = body.to_document()
        _check_lines(order, data["items"])
        checkout_session = await self.checkout.create_session(
            uow, call, _checkout_session(order, record.id, data)
        )
        now, session_id = self.orders.clock(), checkout_session["id"]
        url = view_url(checkout_base, session_id)
        # `url` answers with the checkout page (decision 26); the client's own URLs stay as `urls`
        session = {
            **{k: v for k, v in data.items() if k != "url"},
            "urls": data["url"],
            "id": session_id,
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "amount": sum(line["amount"] for line in data["items"]),
            "url": url,
        }
        await uow.queue(
            _INSERT_SESSION,
            {
                "account_id": call.account_id,
                "order_id": record.id,
                "id": session_id,
                "created_at": now,
                "session": session,
            },
        )
        sessions = [*order.get("sessions", []), session]
        await self.orders.save(uow, call, record, {**order, "sessions": sessions})
        return render(session)

    async def list_sessions(self, uow: UnitOfWork, call: ApiCall, reference: str) -> Json:
        order = await self._order(uow, call, reference)
        return {"sessions": [render(s) for s in order.get("sessions") or ()]}

    async def get(self, uow: UnitOfWork, call: ApiCall, reference: str, session_id: str) -> Json:
        order = await self._order(uow, call, reference)
        for session in order.get("sessions") or ():
            if session["id"] == session_id:
                return render(session)
        raise SessionNotFound(session_id)

    async def _order(self, uow: UnitOfWork, call: ApiCall, reference: str) -> Json:
        record = await orders_repo.get_order(uow, call.account_id, reference)
        if record is None:
            raise OrderNotFound(reference)
        return record.document


def _checkout_session(order: Json, order_uuid: str, data: Json) -> NewSession:
    items = {item["line_id"]: item for item in order.get("items") or ()}
    lines = []
    for line in data["items"]:
        item = items[line["line_id"]]
        described = {k: item[k] for k in ("id", "description", "quantity", "vat") if k in item}
        lines.append({**described, "line_id": str(line["line_id"]), "amount": line["amount"]})
    document: Json = {
        "profile_id": data["profile_id"],
        "url": data["url"],
        "order": {
            "amount": sum(line["amount"] for line in data["items"]),
            "currency": order.get("currency"),
            "merchant_reference": order.get("order_id") or order["id"],
            "items": lines,
        },
    }
    for name in ("configuration", "customer", "expires_at", "metadata"):
        if isinstance(data.get(name), dict | str):
            document[name] = data[name]
    return NewSession(document, order_id=order_uuid)


def render(session: Json) -> Json:
    return {**session, "_links": [{"href": session["url"], "rel": "session_url"}]}


def _check_lines(order: Json, lines: list[Json]) -> None:
    nets = {item["line_id"]: int(item.get("net_amount", 0)) for item in order.get("items") or ()}
    captured: dict[int, int] = {}
    for op in order.get("captures") or ():
        if counts(op):
            for line in op.get("items") or ():
                captured[line["line_id"]] = captured.get(line["line_id"], 0) + abs(line["amount"])
    for position, line in enumerate(lines):
        net = nets.get(line["line_id"])
        if net is None:
            raise UnknownOrderLine(line["line_id"], position)
        if net == 0 or (net > 0) != (line["amount"] > 0):
            raise AmountSignMismatch(line["line_id"], position)
        payable = abs(net) - captured.get(line["line_id"], 0)
        if abs(line["amount"]) > payable:
            raise LedgerLimitExceeded(
                "a session", line["line_id"], abs(line["amount"]), payable, "to be paid"
            )
