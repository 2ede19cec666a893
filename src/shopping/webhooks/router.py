"""`/v1/accounts/{aid}/hooks/subscriptions…` (Hooks API) and the event feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from shopping.auth.scopes import HOOKS_READ, HOOKS_WRITE, SHOPPING_READ
from shopping.deps import Endpoint, endpoint_for
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.webhooks.schemas import SubscriptionWrite

router = APIRouter(prefix="/v1/accounts/{aid}/hooks", tags=["webhooks"])

Reader = Annotated[Endpoint, Depends(endpoint_for(HOOKS_READ))]
Writer = Annotated[Endpoint, Depends(endpoint_for(HOOKS_WRITE))]
HookId = Annotated[str, Path(min_length=1, max_length=40)]
DeliveryId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("/subscriptions", responses=ErrorResponses.write)
async def create_subscription(body: SubscriptionWrite, ctx: Writer) -> JsonResponse:
    """Creates the subscription and sends it a `ping`."""
    call, state = ctx.call, ctx.state
    return await state.writes.run(call, lambda conn: state.subscriptions.create(conn, call, body))


@router.get("/subscriptions", responses=ErrorResponses.read)
async def list_subscriptions(ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.subscriptions.list_all(conn, call))


@router.get("/subscriptions/{hid}", responses=ErrorResponses.read)
async def get_subscription(hid: HookId, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.subscriptions.get(conn, call, hid))


@router.put("/subscriptions/{hid}", responses=ErrorResponses.write)
async def update_subscription(hid: HookId, body: SubscriptionWrite, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call, lambda conn: state.subscriptions.update(conn, call, hid, body)
    )


@router.delete("/subscriptions/{hid}", responses=ErrorResponses.write)
async def delete_subscription(hid: HookId, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(call, lambda conn: state.subscriptions.delete(conn, call, hid))


@router.post("/subscriptions/{hid}/ping", status_code=204, responses=ErrorResponses.write)
async def ping_subscription(hid: HookId, ctx: Writer) -> Response:
    call, state = ctx.call, ctx.state
    async with state.db.write() as conn:
        await state.subscriptions.ping(conn, call, hid)
    return Response(status_code=204)


@router.get("/subscriptions/{hid}/deliveries", responses=ErrorResponses.read)
async def list_deliveries(
    hid: HookId,
    ctx: Reader,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.subscriptions.deliveries(conn, call, hid, limit))


@router.get("/subscriptions/{hid}/deliveries/{delivery_id}", responses=ErrorResponses.read)
async def get_delivery(hid: HookId, delivery_id: DeliveryId, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.subscriptions.delivery(conn, call, hid, delivery_id))


@router.post(
    "/subscriptions/{hid}/deliveries/{delivery_id}/redeliver", responses=ErrorResponses.write
)
async def redeliver(hid: HookId, delivery_id: DeliveryId, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call, lambda conn: state.subscriptions.redeliver(conn, call, hid, delivery_id)
    )


feed_router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["webhooks"])
FeedReader = Annotated[Endpoint, Depends(endpoint_for(SHOPPING_READ | HOOKS_READ))]


@feed_router.get("/events", responses=ErrorResponses.read)
async def event_feed(
    ctx: FeedReader,
    starting_after: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> JsonResponse:
    """Every `shopping_*` event of the account in commit order, the same bodies webhooks
    carry: a consumer can reconcile without trusting push delivery."""
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        events = await state.event_feed.page(conn, call, starting_after, limit)
    return JsonResponse({"events": events})
