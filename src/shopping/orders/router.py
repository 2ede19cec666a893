"""HTTP routes of the account-level order API: thin handlers over the order services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from starlette.responses import Response

from shopping.deps import DatabaseDep, WritesDep
from shopping.documents import OrderUpdate
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse, RawJsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.openapi.responses import Responses, success
from shopping.orders.examples import (
    CANCEL_BODY,
    CANCELLED_ORDER,
    CLOSED_ORDER,
    ORDER_CHANGES,
    ORDER_LIST,
    ORDER_RESPONSE,
    REOPENED_ORDER,
    UPDATED_ORDER,
)
from shopping.orders.filters import ACCOUNT_PARAMS, account_filters
from shopping.orders.http import (
    IncludeEvents,
    OrderActionsDep,
    OrderRef,
    OrdersDep,
    Reader,
    StartingAfter,
    Writer,
    run_order_write,
)
from shopping.orders.include_events import event_types
from shopping.orders.repository import OrderFilters
from shopping.orders.schemas import CancelOrder, Order, OrderList

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["orders"])


def _the_order(example: Any, description: str) -> Responses:
    """The answer of a route that changes an order: the order, or a write error."""
    return {**success(Order, example, description=description), **ErrorResponses.write}


@router.get(
    "/orders",
    summary="List orders",
    responses={**success(OrderList, ORDER_LIST), **ErrorResponses.read},
    openapi_extra=openapi_parameters(ACCOUNT_PARAMS),
)
async def list_orders(
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    filters: Annotated[OrderFilters, Depends(account_filters)],
    starting_after: StartingAfter = None,
    limit: Limit = DEFAULT_LIMIT,
    include_events: IncludeEvents = None,
) -> Response:
    """Lists the account's orders, newest first, one page at a time; the filters combine
    with AND, the values of one filter with OR. Orders emptied by their time to live are
    listed with what remains of them."""
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


@router.get(
    "/orders/{order_id}",
    summary="Get an order",
    responses={**success(Order, ORDER_RESPONSE, description="The order"), **ErrorResponses.read},
)
async def get_order(
    order_id: OrderRef,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    include_events: IncludeEvents = None,
) -> Response:
    """Returns the order, found by its `id` or its `order_id`; the `ETag` header carries its
    `version`. An order emptied by its time to live keeps only its ids, `status`,
    timestamps and `deleted_at`."""
    types = event_types(include_events)
    async with db.read() as conn:
        if not types:
            version, text = await orders.get_text(conn, call, order_id)
            return RawJsonResponse(text, headers={"ETag": f'"{version}"'})
        order = await orders.get(conn, call, order_id, types)
    return JsonResponse(order, headers={"ETag": f'"{order["version"]}"'})


@router.put(
    "/orders/{order_id}",
    summary="Update an order",
    responses=_the_order(UPDATED_ORDER, "The updated order"),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": ORDER_CHANGES}}}},
)
async def update_order(
    order_id: OrderRef,
    body: OrderUpdate,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Changes the order's details: only the fields sent are replaced. Per existing line
    (`items[].line_id`) only `status`, `metadata`, `discount_lines` and the exchange-rate
    fields change; amounts, currency and the set of lines change only through a draft with
    `options.order_id`, so a different value there is refused, while an unchanged echo of
    the order is accepted. A cancelled order is not updated (409). An update that changes
    nothing is not saved; one that does bumps `version` and emits `shopping_order_update`."""
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: actions.update(conn, call, order_id, body),
    )


@router.post(
    "/orders/{order_id}/cancel",
    summary="Cancel an order",
    responses=_the_order(CANCELLED_ORDER, "The cancelled order"),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": CANCEL_BODY}}}},
)
async def cancel_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    body: Annotated[CancelOrder | None, Body()] = None,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Sets an `open` or `closed` order `cancelled`, with `cancelled_at`, `cancelled_by` and
    the `cancelled_reason` sent (the body is optional). Refused (409) when the order is
    already cancelled or has captured amounts that are not refunded. Emits
    `shopping_order_update`."""
    reason = body.cancelled_reason if body else None
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: actions.cancel(conn, call, order_id, reason),
    )


@router.post(
    "/orders/{order_id}/close",
    summary="Close an order",
    responses=_the_order(CLOSED_ORDER, "The closed order"),
)
async def close_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Sets an `open` order `closed`, with `closed_at` and `closed_by`; any other status is
    refused (409). Emits `shopping_order_update`."""
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: actions.close(conn, call, order_id)
    )


@router.post(
    "/orders/{order_id}/open",
    summary="Reopen a closed order",
    responses=_the_order(REOPENED_ORDER, "The reopened order"),
)
async def open_order(
    order_id: OrderRef,
    call: Writer,
    actions: OrderActionsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Sets a `closed` order `open` again; any other status is refused (409). `closed_at`
    and `closed_by` keep the last closing. Emits `shopping_order_update`."""
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: actions.reopen(conn, call, order_id)
    )
