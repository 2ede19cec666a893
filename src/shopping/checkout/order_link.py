"""What a transaction of an order session does to the order: the same operations a client
records through the Shopping API, recorded by the checkout (`processed_by: dintero-checkout`)
through the payment-operations service, so its ledger rules, payment status, events and
`shopping_order_update` apply unchanged."""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.requests import ApiCall
from shopping.payment_operations.rules import AUTHORIZATION
from shopping.payment_operations.schemas import OperationCreate
from shopping.payment_operations.service import PaymentOperations

Json = dict[str, Any]
PROCESSED_BY = "dintero-checkout"
PSP = "Dintero"


def payment_details(transaction: Json) -> Json:
    details: Json = {
        "psp": PSP,
        "payment_id": transaction["id"],
        "payment_product": transaction["payment_product"],
        "payment_product_type": transaction["payment_product_type"],
    }
    card = transaction.get("card")
    if card:
        details["card"] = {
            "masked_pan": card["masked_pan"],
            "brand": card["brand"],
            "type": card.get("type", "Credit"),
        }
    return details


async def record_on_order(
    payments: PaymentOperations,
    uow: UnitOfWork,
    call: ApiCall,
    order_id: str,
    kind: str,
    transaction: Json,
    lines: list[Json],
    processed_at: str,
) -> None:
    """Record `kind` for the transaction's `lines` (`line_id` = the order line, as text)."""
    body: Json = {
        "items": [{"line_id": int(line["line_id"]), "amount": line["amount"]} for line in lines],
        "processed_at": processed_at,
        "processed_by": PROCESSED_BY,
        "payment_details": payment_details(transaction),
        "authorization_id": transaction["id"],
    }
    if kind != AUTHORIZATION:
        body.pop("payment_details")
    await payments.record(uow, call, order_id, kind, OperationCreate.model_validate(body))
