"""`GET /orders/{order_id}/events` and `POST /orders/{order_id}/events`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from shopping.auth.scopes import ORDER_EVENTS_READ, ORDER_EVENTS_WRITE
from shopping.deps import Endpoint, endpoint_for
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.order_events.schemas import EventList, ServiceEventCreate
from shopping.orders.http import OrderRef

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["order events"])

EventsReader = Annotated[Endpoint, Depends(endpoint_for(ORDER_EVENTS_READ))]
EventsWriter = Annotated[Endpoint, Depends(endpoint_for(ORDER_EVENTS_WRITE))]


@router.get("/orders/{order_id}/events", response_model=EventList, responses=ErrorResponses.read)
async def list_events(order_id: OrderRef, ctx: EventsReader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.order_events.list_events(conn, call, order_id))


@router.post("/orders/{order_id}/events", responses=ErrorResponses.write)
async def add_service_event(
    order_id: OrderRef, body: ServiceEventCreate, ctx: EventsWriter
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call, lambda conn: state.order_events.add_service_event(conn, call, order_id, body)
    )
