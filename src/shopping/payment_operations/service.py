"""Recording payment operations. The API records what an external payment system did; it
moves no money, but it refuses records that would break the ledger (rules.py)."""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.orders import repository as orders_repo
from shopping.orders.errors import OrderNotFound
from shopping.orders.service import Orders
from shopping.payment_operations import repository as repo
from shopping.payment_operations.errors import OperationNotFound
from shopping.payment_operations.rules import COLLECTIONS, check_operation, counts
from shopping.payment_operations.schemas import OperationCreate
from shopping.payouts.errors import PayoutNotSplittable
from shopping.payouts.evaluator import PayoutSplitError
from shopping.payouts.lines import operation_line_payout

Json = dict[str, Any]


class PaymentOperations:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def record(
        self, uow: UnitOfWork, call: ApiCall, reference: str, kind: str, body: OperationCreate
    ) -> Json:
        record = await self.orders.locked(uow, call, reference)
        order = record.document
        data = body.to_document()
        data.pop("amount", None)
        success = data.get("success", True) is not False
        operation_id = new_uuid()
        authorization_id = check_operation(
            order,
            kind,
            data["items"],
            authorization_id=data.get("authorization_id"),
            success=success,
            new_id=operation_id,
        )
        now = self.orders.clock()
        operation = {
            **data,
            "id": operation_id,
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "amount": sum(line["amount"] for line in data["items"]),
            "success": success,
            "items": _with_payouts(order, data["items"]),
        }
        if authorization_id is not None:
            operation["authorization_id"] = authorization_id
        await repo.insert_operation(uow, call.account_id, record.id, kind, operation, now)
        collection = COLLECTIONS[kind]
        changed = {**order, collection: [*order.get(collection, []), operation]}
        await self.orders.save(uow, call, record, changed)
        return render(operation, call.base_url, record.id, kind)

    async def list_kind(self, uow: UnitOfWork, call: ApiCall, reference: str, kind: str) -> Json:
        order = await self._order(uow, call, reference)
        operations = order.get(COLLECTIONS[kind]) or []
        return {
            COLLECTIONS[kind]: [render(op, call.base_url, order["id"], kind) for op in operations]
        }

    async def get_one(
        self, uow: UnitOfWork, call: ApiCall, reference: str, kind: str, operation_id: str
    ) -> Json:
        order = await self._order(uow, call, reference)
        operations = order.get(COLLECTIONS[kind]) or []
        # by id; an authorization also by its authorization_id, the one that counts first
        # (a declined attempt may share the id of the authorization that succeeded)
        candidates = [op for op in operations if op["id"] == operation_id]
        if kind == "authorization":
            named = [op for op in operations if op.get("authorization_id") == operation_id]
            candidates += sorted(named, key=lambda op: not counts(op))
        if not candidates:
            raise OperationNotFound(kind, operation_id)
        return render(candidates[0], call.base_url, order["id"], kind)

    async def _order(self, uow: UnitOfWork, call: ApiCall, reference: str) -> Json:
        record = await orders_repo.get_order(uow, call.account_id, reference)
        if record is None:
            raise OrderNotFound(reference)
        return record.document


def _with_payouts(order: Json, lines: list[Json]) -> list[Json]:
    items = {item["line_id"]: item for item in order.get("items") or ()}
    out = []
    for line in lines:
        item = items[line["line_id"]]
        try:
            payout = operation_line_payout(item, line["amount"])
        except PayoutSplitError as exc:
            raise PayoutNotSplittable(
                line["line_id"], item["payout"].get("rule_id"), str(exc)
            ) from exc
        out.append({**line, "payout": payout} if payout is not None else line)
    return out


def render(operation: Json, base_url: str, order_uuid: str, kind: str) -> Json:
    href = f"{base_url}/orders/{order_uuid}/{COLLECTIONS[kind]}/{operation['id']}"
    return {**operation, "_links": [{"href": href, "rel": kind}]}
