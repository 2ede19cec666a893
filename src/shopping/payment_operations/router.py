"""Routes of the four payment-operation kinds: create, list, get one (reference §2 #19–30).

The kinds share one shape, so their routes are generated from one set of handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.openapi.responses import success
from shopping.orders.http import OrderRef, Reader, Writer
from shopping.payment_operations import descriptions as text
from shopping.payment_operations.examples import OPERATION_CREATE, OPERATION_IDS, operation
from shopping.payment_operations.responses import (
    AuthorizationList,
    CancellationList,
    CaptureList,
    PaymentOperation,
    RefundList,
)
from shopping.payment_operations.rules import (
    AUTHORIZATION,
    CANCELLATION,
    CAPTURE,
    COLLECTIONS,
    REFUND,
)
from shopping.payment_operations.schemas import OperationCreate
from shopping.payment_operations.service import PaymentOperations

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["payment operations"])
OperationId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="The operation's `id` (an authorization's `authorization_id` finds it too)",
    ),
]
#: validated from the raw bytes (`kit/json_body.py`): captures and authorizations are busy
OPERATION_BODY = JsonBody(OperationCreate, example=OPERATION_CREATE)
LIST_MODELS: dict[str, type[BaseModel]] = {
    AUTHORIZATION: AuthorizationList,
    CAPTURE: CaptureList,
    REFUND: RefundList,
    CANCELLATION: CancellationList,
}


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
    _example = operation(_kind, _collection, OPERATION_IDS[_kind])
    router.add_api_route(
        _path,
        _create(_kind),
        methods=["POST"],
        name=f"create_{_kind}",
        summary=text.create_summary(_kind),
        description=text.create_description(_kind),
        responses={**success(PaymentOperation, _example), **ErrorResponses.write},
        openapi_extra=OPERATION_BODY.openapi,
    )
    router.add_api_route(
        _path,
        _list(_kind),
        methods=["GET"],
        name=f"list_{_collection}",
        summary=text.list_summary(_collection),
        description=text.list_description(_kind),
        responses={**success(LIST_MODELS[_kind], {_collection: [_example]}), **ErrorResponses.read},
    )
    router.add_api_route(
        f"{_path}/{{operation_id}}",
        _get(_kind),
        methods=["GET"],
        name=f"get_{_kind}",
        summary=text.get_summary(_kind),
        description=text.get_description(_kind),
        responses={**success(PaymentOperation, _example), **ErrorResponses.read},
    )
