"""`GET /orders/{order_id}/events` and `POST /orders/{order_id}/events`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from shopping.auth.scopes import ORDER_EVENTS_READ, ORDER_EVENTS_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.order_events.schemas import EventList, ServiceEventCreate
from shopping.order_events.service import OrderEvents
from shopping.orders.http import OrderRef

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["order events"])

EventsReader = Annotated[ApiCall, Depends(AuthorizedCall(ORDER_EVENTS_READ))]
EventsWriter = Annotated[ApiCall, Depends(AuthorizedCall(ORDER_EVENTS_WRITE))]


async def get_order_events(request: Request) -> OrderEvents:
    events: OrderEvents = request.app.state.order_events
    return events


OrderEventsDep = Annotated[OrderEvents, Depends(get_order_events)]


@router.get("/orders/{order_id}/events", response_model=EventList, responses=ErrorResponses.read)
async def list_events(
    order_id: OrderRef, call: EventsReader, events: OrderEventsDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await events.list_events(conn, call, order_id))


@router.post("/orders/{order_id}/events", responses=ErrorResponses.write)
async def add_service_event(
    order_id: OrderRef,
    body: ServiceEventCreate,
    call: EventsWriter,
    events: OrderEventsDep,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(call, lambda conn: events.add_service_event(conn, call, order_id, body))
