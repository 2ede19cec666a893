"""`GET /orders/{order_id}/events` and `POST /orders/{order_id}/events`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from shopping.auth.scopes import ORDER_EVENTS_READ, ORDER_EVENTS_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success
from shopping.order_events.examples import (
    CREATED_SERVICE_EVENT,
    ORDER_EVENTS,
    SERVICE_EVENT_CREATE,
)
from shopping.order_events.responses import CreatedServiceEvent, OrderEventList
from shopping.order_events.schemas import ServiceEventCreate
from shopping.order_events.service import OrderEvents
from shopping.orders.http import OrderRef

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["order events"])

EventsReader = Annotated[ApiCall, Depends(AuthorizedCall(ORDER_EVENTS_READ))]
EventsWriter = Annotated[ApiCall, Depends(AuthorizedCall(ORDER_EVENTS_WRITE))]
SERVICE_EVENT_BODY_EXAMPLE = {
    "requestBody": {"content": {"application/json": {"example": SERVICE_EVENT_CREATE}}}
}


async def get_order_events(request: Request) -> OrderEvents:
    events: OrderEvents = request.app.state.order_events
    return events


OrderEventsDep = Annotated[OrderEvents, Depends(get_order_events)]


@router.get(
    "/orders/{order_id}/events",
    summary="List an order's events",
    responses={**success(OrderEventList, ORDER_EVENTS), **ErrorResponses.read},
)
async def list_events(
    order_id: OrderRef, call: EventsReader, events: OrderEventsDep, db: DatabaseDep
) -> JsonResponse:
    """The order's events, oldest first: an `api-event` for every change made through the
    API (with the request that made it) and the `service-event`s services reported; and
    `state`, what the services' latest reports add up to. A token with only the events
    scope may read them without access to the rest of the order."""
    async with db.read() as conn:
        return JsonResponse(await events.list_events(conn, call, order_id))


@router.post(
    "/orders/{order_id}/events",
    summary="Report a service event",
    responses={**success(CreatedServiceEvent, CREATED_SERVICE_EVENT), **ErrorResponses.write},
    openapi_extra=SERVICE_EVENT_BODY_EXAMPLE,
)
async def add_service_event(
    order_id: OrderRef,
    body: ServiceEventCreate,
    call: EventsWriter,
    events: OrderEventsDep,
    writes: WritesDep,
) -> JsonResponse:
    """Records a service's report on the order's handling, e.g. a kitchen's
    `ready_for_pickup`, and answers with the event. Accepted whatever the order's status,
    cancelled included; the order itself and its `version` stay as they are (the event
    carries the version it was reported at), and `If-Match` is not checked.
    `shopping_order_event_add` is sent with the order and the event."""
    return await writes.run(call, lambda conn: events.add_service_event(conn, call, order_id, body))
