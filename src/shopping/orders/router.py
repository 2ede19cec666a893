"""HTTP routes of the account-level order API: thin handlers over the order services."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, ConfigDict, field_validator
from starlette.responses import Response

from shopping.deps import DatabaseDep, WritesDep
from shopping.documents import OrderUpdate
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse, RawJsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.order_events.schemas import contains_nul
from shopping.orders.filters import ACCOUNT_PARAMS, account_filters
from shopping.orders.http import (
    IncludeEvents,
    OrderActionsDep,
    OrderRef,
    OrdersDep,
    Reader,
    Writer,
    run_order_write,
)
from shopping.orders.include_events import event_types
from shopping.orders.repository import OrderFilters

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["orders"])


class CancelOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cancelled_reason: Any = None

    @field_validator("cancelled_reason")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class OrderList(BaseModel):
    orders: list[dict[str, Any]]


@router.get(
    "/orders",
    response_model=OrderList,
    responses=ErrorResponses.read,
    openapi_extra=openapi_parameters(ACCOUNT_PARAMS),
)
async def list_orders(
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    filters: Annotated[OrderFilters, Depends(account_filters)],
    starting_after: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
    include_events: IncludeEvents = None,
) -> Response:
    types = event_types(include_events)
    cursor = str(starting_after) if starting_after else None
    async with db.read() as conn:
        if not types:  # the common case: stored documents go out without being decoded
            text = await orders.list_text(conn, call, filters, starting_after=cursor, limit=limit)
            return RawJsonResponse(text)
        page = await orders.list_page(
            conn, call, filters, starting_after=cursor, limit=limit, event_types=types
        )
    return JsonResponse({"orders": page})


@router.get("/orders/{order_id}", responses=ErrorResponses.read)
async def get_order(
    order_id: OrderRef,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    include_events: IncludeEvents = None,
) -> Response:
    types = event_types(include_events)
    async with db.read() as conn:
        if not types:
            version, text = await orders.get_text(conn, call, order_id)
            return RawJsonResponse(text, headers={"ETag": f'"{version}"'})
        order = await orders.get(conn, call, order_id, types)
    return JsonResponse(order, headers={"ETag": f'"{order["version"]}"'})


@router.put("/orders/{order_id}", responses=ErrorResponses.write)
async def update_order(
    order_id: OrderRef,
    body: OrderUpdate,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: actions.update(conn, call, order_id, body),
    )


@router.post("/orders/{order_id}/cancel", responses=ErrorResponses.write)
async def cancel_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    body: Annotated[CancelOrder | None, Body()] = None,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    reason = body.cancelled_reason if body else None
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: actions.cancel(conn, call, order_id, reason),
    )


@router.post("/orders/{order_id}/close", responses=ErrorResponses.write)
async def close_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: actions.close(conn, call, order_id)
    )


@router.post("/orders/{order_id}/open", responses=ErrorResponses.write)
async def open_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: actions.reopen(conn, call, order_id)
    )
