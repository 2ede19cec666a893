"""Routes of the four payment-operation kinds: create, list, get one (reference §2 #19–30).

The kinds share one shape, so their routes are generated from one set of handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.orders.http import OrderRef, Reader, Writer
from shopping.payment_operations.rules import COLLECTIONS
from shopping.payment_operations.schemas import OperationCreate
from shopping.payment_operations.service import PaymentOperations

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["payment operations"])
OperationId = Annotated[str, Path(min_length=1, max_length=40)]
#: validated from the raw bytes (`kit/json_body.py`): captures and authorizations are busy
OPERATION_BODY = JsonBody(OperationCreate)


async def get_payments(request: Request) -> PaymentOperations:
    payments: PaymentOperations = request.app.state.payments
    return payments


PaymentsDep = Annotated[PaymentOperations, Depends(get_payments)]


def _create(kind: str) -> Callable[..., Awaitable[JsonResponse]]:
    async def create(
        order_id: OrderRef,
        request: Request,
        call: Writer,
        payments: PaymentsDep,
        writes: WritesDep,
    ) -> JsonResponse:
        body = await OPERATION_BODY.read(request)
        return await writes.run(
            call, lambda conn: payments.record(conn, call, order_id, kind, body)
        )

    create.__doc__ = f"Record a {kind} of order lines; 409 when the ledger does not allow it."
    return create


def _list(kind: str) -> Callable[..., Awaitable[JsonResponse]]:
    async def list_operations(
        order_id: OrderRef, call: Reader, payments: PaymentsDep, db: DatabaseDep
    ) -> JsonResponse:
        async with db.read() as conn:
            return JsonResponse(await payments.list_kind(conn, call, order_id, kind))

    return list_operations


def _get(kind: str) -> Callable[..., Awaitable[JsonResponse]]:
    async def get_operation(
        order_id: OrderRef,
        operation_id: OperationId,
        call: Reader,
        payments: PaymentsDep,
        db: DatabaseDep,
    ) -> JsonResponse:
        async with db.read() as conn:
            return JsonResponse(await payments.get_one(conn, call, order_id, kind, operation_id))

    return get_operation


for _kind, _collection in COLLECTIONS.items():
    _path = f"/orders/{{order_id}}/{_collection}"
    router.add_api_route(
        _path,
        _create(_kind),
        methods=["POST"],
        name=f"create_{_kind}",
        responses=ErrorResponses.write,
        openapi_extra=OPERATION_BODY.openapi,
    )
    router.add_api_route(
        _path,
        _list(_kind),
        methods=["GET"],
        name=f"list_{_collection}",
        responses=ErrorResponses.read,
    )
    router.add_api_route(
        f"{_path}/{{operation_id}}",
        _get(_kind),
        methods=["GET"],
        name=f"get_{_kind}",
        responses=ErrorResponses.read,
    )
