"""Store- and customer-scoped order views (reference §2 rows 34–37).

They show a subset of the account's orders with the Q-SCOPED filters only, and never expose
api (audit) events: `include_events` accepts false, true and service-event.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shopping.db import Database
from shopping.deps import DatabaseDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success
from shopping.orders import facets
from shopping.orders.errors import OrderNotFound
from shopping.orders.examples import ORDER_LIST, ORDER_RESPONSE
from shopping.orders.filters import SCOPED_PARAMS, scoped_filters
from shopping.orders.http import NO_NUL, OrderRef, OrdersDep, Reader, StartingAfter
from shopping.orders.include_events import event_types
from shopping.orders.repository import OrderFilters
from shopping.orders.schemas import Order, OrderList
from shopping.orders.service import Orders

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["store and customer views"])

CustomerId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=255,
        pattern=NO_NUL,
        description="The customer's id (`order.customer.id`)",
    ),
]
StoreId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=255,
        pattern=NO_NUL,
        description="The sales location's id (`order.store.id` or `order.items[].store.id`)",
    ),
]
Filters = Annotated[OrderFilters, Depends(scoped_filters)]
IncludeEvents = Annotated[
    list[str] | None,
    Query(
        description="Embed the order's service events (`events`) and their combined `state`: "
        "`true` or `service-event`; `false` (default) for none. API events are never shown here"
    ),
]
LIST_ANSWER = {**success(OrderList, ORDER_LIST), **ErrorResponses.read}
ORDER_ANSWER = {**success(Order, ORDER_RESPONSE, description="The order"), **ErrorResponses.read}


def _for_customer(filters: OrderFilters, customer_id: str) -> OrderFilters:
    return dataclasses.replace(filters, customer_id=customer_id)


def _for_store(filters: OrderFilters, store_id: str) -> OrderFilters:
    return dataclasses.replace(filters, facets=((facets.STORE, (store_id,)),))


@router.get(
    "/customers/{customer_id}/orders",
    summary="List a customer's orders",
    responses=LIST_ANSWER,
    openapi_extra=openapi_parameters(SCOPED_PARAMS),
)
async def list_customer_orders(
    customer_id: CustomerId,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    filters: Filters,
    starting_after: StartingAfter = None,
    limit: Limit = DEFAULT_LIMIT,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Lists the orders whose `customer.id` is `customer_id`, newest first, one page at a
    time; without API events."""
    scoped = _for_customer(filters, customer_id)
    return await _list(db, orders, call, scoped, starting_after, limit, include_events)


@router.get(
    "/stores/{store_id}/orders",
    summary="List a store's orders",
    responses=LIST_ANSWER,
    openapi_extra=openapi_parameters(SCOPED_PARAMS),
)
async def list_store_orders(
    store_id: StoreId,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    filters: Filters,
    starting_after: StartingAfter = None,
    limit: Limit = DEFAULT_LIMIT,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Lists the orders of the sales location `store_id` (the order's store or a line's),
    newest first, one page at a time; without API events."""
    scoped = _for_store(filters, store_id)
    return await _list(db, orders, call, scoped, starting_after, limit, include_events)


@router.get(
    "/customers/{customer_id}/orders/{order_id}",
    summary="Get a customer's order",
    responses=ORDER_ANSWER,
)
async def get_customer_order(
    customer_id: CustomerId,
    order_id: OrderRef,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Returns the order (by `id` or `order_id`) when its `customer.id` is `customer_id`;
    404 otherwise. Without API events."""
    order = await _get(db, orders, call, order_id, include_events)
    if (order.get("customer") or {}).get("id") != customer_id:
        raise OrderNotFound(order_id)
    return JsonResponse(order)


@router.get(
    "/stores/{store_id}/orders/{order_id}",
    summary="Get a store's order",
    responses=ORDER_ANSWER,
)
async def get_store_order(
    store_id: StoreId,
    order_id: OrderRef,
    call: Reader,
    orders: OrdersDep,
    db: DatabaseDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Returns the order (by `id` or `order_id`) when it belongs to the sales location
    `store_id`; 404 otherwise. Without API events."""
    order = await _get(db, orders, call, order_id, include_events)
    if (facets.STORE, store_id) not in facets.order_facets(order):
        raise OrderNotFound(order_id)
    return JsonResponse(order)


async def _list(
    db: Database,
    orders: Orders,
    call: ApiCall,
    filters: OrderFilters,
    starting_after: uuid.UUID | None,
    limit: int,
    include_events: list[str] | None,
) -> JsonResponse:
    types = event_types(include_events, scoped=True)
    cursor = str(starting_after) if starting_after else None
    async with db.read() as conn:
        page = await orders.list_page(
            conn, call, filters, starting_after=cursor, limit=limit, event_types=types
        )
    return JsonResponse({"orders": page})


async def _get(
    db: Database, orders: Orders, call: ApiCall, order_id: str, include_events: list[str] | None
) -> dict[str, Any]:
    types = event_types(include_events, scoped=True)
    async with db.read() as conn:
        order: dict[str, Any] = await orders.get(conn, call, order_id, types)
    return order
