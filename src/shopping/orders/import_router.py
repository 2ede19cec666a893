"""`POST /orders`: import an order without a draft (see `imports.py`). Runs once per
Idempotency-Key through the write runner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from shopping.deps import WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.openapi.responses import success
from shopping.orders.examples import IMPORTED_ORDER, ORDER_IMPORT
from shopping.orders.http import Writer
from shopping.orders.imports import OrderImport, OrderImports
from shopping.orders.schemas import Order

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["orders"])
IMPORT_BODY = JsonBody(OrderImport, example=ORDER_IMPORT)


def get_order_imports(request: Request) -> OrderImports:
    imports: OrderImports = request.app.state.order_imports
    return imports


OrderImportsDep = Annotated[OrderImports, Depends(get_order_imports)]


@router.post(
    "/orders",
    summary="Import an order without a draft",
    responses={
        **success(Order, IMPORTED_ORDER, description="The imported order"),
        **ErrorResponses.write,
    },
    openapi_extra=IMPORT_BODY.openapi,
)
async def import_order(
    request: Request, call: Writer, imports: OrderImportsDep, writes: WritesDep
) -> JsonResponse:
    """Creates an order directly, e.g. when moving orders over from another system: the same
    validation and totals as a completed draft; `order_id` is used once per account (409);
    `created_at` may give the original creation time. The order starts `open` with
    `payment_status` `pending`. Emits `shopping_order_update`."""
    body = await IMPORT_BODY.read(request)
    return await writes.run(call, lambda uow: imports.create(uow, call, body))
