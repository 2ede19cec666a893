"""`/v1/accounts/{aid}/hooks/subscriptions…` (Hooks API) and the event feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from shopping.auth.scopes import HOOKS_READ, HOOKS_WRITE, SHOPPING_READ
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success
from shopping.webhooks.feed import EventFeed
from shopping.webhooks.feed_examples import EVENT_FEED_PAGE
from shopping.webhooks.feed_responses import EventFeedPage
from shopping.webhooks.schemas import SubscriptionWrite
from shopping.webhooks.subscriptions import Subscriptions

router = APIRouter(prefix="/v1/accounts/{aid}/hooks", tags=["webhooks"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(HOOKS_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(HOOKS_WRITE))]
HookId = Annotated[str, Path(min_length=1, max_length=40)]
DeliveryId = Annotated[str, Path(min_length=1, max_length=40)]


async def get_subscriptions(request: Request) -> Subscriptions:
    subscriptions: Subscriptions = request.app.state.subscriptions
    return subscriptions


async def get_event_feed(request: Request) -> EventFeed:
    feed: EventFeed = request.app.state.event_feed
    return feed


SubscriptionsDep = Annotated[Subscriptions, Depends(get_subscriptions)]
EventFeedDep = Annotated[EventFeed, Depends(get_event_feed)]


@router.post("/subscriptions", responses=ErrorResponses.write)
async def create_subscription(
    body: SubscriptionWrite, call: Writer, subscriptions: SubscriptionsDep, writes: WritesDep
) -> JsonResponse:
    """Creates the subscription and sends it a `ping`."""
    return await writes.run(call, lambda conn: subscriptions.create(conn, call, body))


@router.get("/subscriptions", responses=ErrorResponses.read)
async def list_subscriptions(
    call: Reader, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await subscriptions.list_all(conn, call))


@router.get("/subscriptions/{hid}", responses=ErrorResponses.read)
async def get_subscription(
    hid: HookId, call: Reader, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await subscriptions.get(conn, call, hid))


@router.put("/subscriptions/{hid}", responses=ErrorResponses.write)
async def update_subscription(
    hid: HookId,
    body: SubscriptionWrite,
    call: Writer,
    subscriptions: SubscriptionsDep,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(call, lambda conn: subscriptions.update(conn, call, hid, body))


@router.delete("/subscriptions/{hid}", responses=ErrorResponses.write)
async def delete_subscription(
    hid: HookId, call: Writer, subscriptions: SubscriptionsDep, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda conn: subscriptions.delete(conn, call, hid))


@router.post("/subscriptions/{hid}/ping", status_code=204, responses=ErrorResponses.write)
async def ping_subscription(
    hid: HookId, call: Writer, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> Response:
    async with db.write() as conn:
        await subscriptions.ping(conn, call, hid)
    return Response(status_code=204)


@router.get("/subscriptions/{hid}/deliveries", responses=ErrorResponses.read)
async def list_deliveries(
    hid: HookId,
    call: Reader,
    subscriptions: SubscriptionsDep,
    db: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await subscriptions.deliveries(conn, call, hid, limit))


@router.get("/subscriptions/{hid}/deliveries/{delivery_id}", responses=ErrorResponses.read)
async def get_delivery(
    hid: HookId,
    delivery_id: DeliveryId,
    call: Reader,
    subscriptions: SubscriptionsDep,
    db: DatabaseDep,
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await subscriptions.delivery(conn, call, hid, delivery_id))


@router.post(
    "/subscriptions/{hid}/deliveries/{delivery_id}/redeliver", responses=ErrorResponses.write
)
async def redeliver(
    hid: HookId,
    delivery_id: DeliveryId,
    call: Writer,
    subscriptions: SubscriptionsDep,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(
        call, lambda conn: subscriptions.redeliver(conn, call, hid, delivery_id)
    )


feed_router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["webhooks"])
FeedReader = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_READ | HOOKS_READ))]


@feed_router.get(
    "/events",
    summary="Read the account's events",
    responses={**success(EventFeedPage, EVENT_FEED_PAGE), **ErrorResponses.read},
)
async def event_feed(
    call: FeedReader,
    feed: EventFeedDep,
    db: DatabaseDep,
    starting_after: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=40,
            description="The `event_id` of the last event read: the page starts after it "
            "(one that is not an event of this account is a 400 `INVALID_CURSOR`). "
            "Without it the page starts at the oldest event kept",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many events (1–100)")] = 10,
) -> JsonResponse:
    """Every `shopping_*` event of the account in the order its changes were committed,
    with the same bodies webhooks carry: a consumer can reconcile without trusting push
    delivery. Page on with `starting_after` set to the last `event_id` read; an empty page
    means there is nothing newer yet. The feed reaches back as far as the server keeps
    webhook history (`SHOPPING_WEBHOOK_RETENTION_DAYS`), and always to each draft's and
    order's latest event."""
    async with db.read() as conn:
        events = await feed.page(conn, call, starting_after, limit)
    return JsonResponse({"events": events})
