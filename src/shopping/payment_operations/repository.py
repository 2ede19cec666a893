"""Queries on the payment-operation ledger. Every statement is scoped by account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.statements import insert_into
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import PaymentOperationRow


async def insert_operation(
    uow: UnitOfWork,
    account_id: str,
    order_uuid: str,
    kind: str,
    operation: dict[str, Any],
    created_at: datetime,
) -> None:
    await uow.queue(
        insert_into(PaymentOperationRow),
        {
            "account_id": account_id,
            "order_id": order_uuid,
            "id": operation["id"],
            "kind": kind,
            "authorization_id": operation.get("authorization_id"),
            "success": operation.get("success", True) is not False,
            "amount": operation["amount"],
            "created_at": created_at,
            "created_by": operation["created_by"],
            "operation": operation,
        },
    )
