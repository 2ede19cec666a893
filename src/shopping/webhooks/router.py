"""`/v1/accounts/{aid}/hooks/subscriptions…` (Hooks API) and the event feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from starlette.responses import Response

from shopping.auth.scopes import HOOKS_READ, HOOKS_WRITE, SHOPPING_READ
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import no_content, success
from shopping.webhooks import subscription_examples as examples
from shopping.webhooks.feed import EventFeed
from shopping.webhooks.feed_examples import EVENT_FEED_PAGE
from shopping.webhooks.feed_responses import EventFeedPage
from shopping.webhooks.schemas import SubscriptionWrite
from shopping.webhooks.subscription_responses import Delivery, DeliveryDetail, Subscription
from shopping.webhooks.subscriptions import Subscriptions

router = APIRouter(prefix="/v1/accounts/{aid}/hooks", tags=["webhooks"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(HOOKS_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(HOOKS_WRITE))]
HookId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="The subscription's id",
        examples=[examples.HOOK_ID],
    ),
]
DeliveryId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="The delivery's id (its `event_delivery`)",
        examples=[examples.DELIVERY_ID],
    ),
]
SubscriptionBody = Annotated[
    SubscriptionWrite,
    Body(
        openapi_examples={
            "signed": {
                "summary": "Order changes, signed with a secret",
                "value": examples.SUBSCRIPTION_WRITE,
            }
        }
    ),
]


async def get_subscriptions(request: Request) -> Subscriptions:
    subscriptions: Subscriptions = request.app.state.subscriptions
    return subscriptions


async def get_event_feed(request: Request) -> EventFeed:
    feed: EventFeed = request.app.state.event_feed
    return feed


SubscriptionsDep = Annotated[Subscriptions, Depends(get_subscriptions)]
EventFeedDep = Annotated[EventFeed, Depends(get_event_feed)]


@router.post(
    "/subscriptions",
    summary="Create a webhook subscription",
    responses={**success(Subscription, examples.SUBSCRIPTION), **ErrorResponses.write},
)
async def create_subscription(
    body: SubscriptionBody, call: Writer, subscriptions: SubscriptionsDep, writes: WritesDep
) -> JsonResponse:
    """Creates a subscription to the account's `shopping_*` events and queues a `ping`
    delivery to its URL, so the receiver can be checked at once. A URL naming a private,
    loopback or otherwise non-public address is refused (400) unless the operator allows it.
    Each event is then POSTed to the URL as `{account_id, event, event_id, event_delivery,
    sequence, …}` with the headers `event`, `event-delivery` and, with a secret,
    `event-signature`; any 2xx answer counts as delivered, anything else is retried with
    back-off."""
    return await writes.run(call, lambda conn: subscriptions.create(conn, call, body))


@router.get(
    "/subscriptions",
    summary="List webhook subscriptions",
    responses={**success(list[Subscription], [examples.SUBSCRIPTION]), **ErrorResponses.read},
)
async def list_subscriptions(
    call: Reader, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> JsonResponse:
    """Every subscription of the account that is not deleted, newest first, disabled ones
    included (`active: false` with `disabled_at`)."""
    async with db.read() as conn:
        return JsonResponse(await subscriptions.list_all(conn, call))


@router.get(
    "/subscriptions/{hid}",
    summary="Get a webhook subscription",
    responses={**success(Subscription, examples.SUBSCRIPTION), **ErrorResponses.read},
)
async def get_subscription(
    hid: HookId, call: Reader, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> JsonResponse:
    """The subscription as written (the secret's value is never shown) with its delivery
    bookkeeping: `consecutive_failures` and, when lasting failures turned it off,
    `disabled_at`.
    A deleted subscription is 404."""
    async with db.read() as conn:
        return JsonResponse(await subscriptions.get(conn, call, hid))


@router.put(
    "/subscriptions/{hid}",
    summary="Replace a webhook subscription",
    responses={**success(Subscription, examples.SUBSCRIPTION), **ErrorResponses.write},
)
async def update_subscription(
    hid: HookId,
    body: SubscriptionBody,
    call: Writer,
    subscriptions: SubscriptionsDep,
    writes: WritesDep,
) -> JsonResponse:
    """Replaces the subscription with the body; an omitted `config.secret` keeps the stored
    secret. Writing it clears the failure count and `disabled_at`, so `active: true` revives
    a subscription the server disabled after its deliveries kept failing: the deliveries
    queued meanwhile are then sent. A subscription switched off with `active: false`
    collects nothing until it is switched on again."""
    return await writes.run(call, lambda conn: subscriptions.update(conn, call, hid, body))


@router.delete(
    "/subscriptions/{hid}",
    summary="Delete a webhook subscription",
    responses={**success(Subscription, examples.DELETED_SUBSCRIPTION), **ErrorResponses.write},
)
async def delete_subscription(
    hid: HookId, call: Writer, subscriptions: SubscriptionsDep, writes: WritesDep
) -> JsonResponse:
    """Deletes the subscription and answers it as it was, with `active: false` and
    `deleted_at`. Its pending deliveries are cancelled; afterwards it is 404."""
    return await writes.run(call, lambda conn: subscriptions.delete(conn, call, hid))


@router.post(
    "/subscriptions/{hid}/ping",
    status_code=204,
    summary="Send a ping to a subscription",
    responses={**no_content("The ping is queued."), **ErrorResponses.write},
)
async def ping_subscription(
    hid: HookId, call: Writer, subscriptions: SubscriptionsDep, db: DatabaseDep
) -> Response:
    """Queues a `ping` delivery (`{account_id, event: "ping", hook_id}`) to the
    subscription's URL, as on creation; its outcome shows in the deliveries."""
    async with db.write() as conn:
        await subscriptions.ping(conn, call, hid)
    return Response(status_code=204)


@router.get(
    "/subscriptions/{hid}/deliveries",
    summary="List a subscription's deliveries",
    responses={**success(list[Delivery], examples.DELIVERIES), **ErrorResponses.read},
)
async def list_deliveries(
    hid: HookId,
    call: Reader,
    subscriptions: SubscriptionsDep,
    db: DatabaseDep,
    limit: Annotated[
        int, Query(ge=1, le=100, description="How many deliveries to list, 1..100")
    ] = 25,
) -> JsonResponse:
    """The subscription's most recent deliveries, pings included, newest first, each with
    its status and number of attempts."""
    async with db.read() as conn:
        return JsonResponse(await subscriptions.deliveries(conn, call, hid, limit))


@router.get(
    "/subscriptions/{hid}/deliveries/{delivery_id}",
    summary="Get a delivery with its attempts",
    responses={**success(DeliveryDetail, examples.DELIVERY_DETAIL), **ErrorResponses.read},
)
async def get_delivery(
    hid: HookId,
    delivery_id: DeliveryId,
    call: Reader,
    subscriptions: SubscriptionsDep,
    db: DatabaseDep,
) -> JsonResponse:
    """One delivery with `attempt_log`: every request sent, with the receiver's status
    code, the start of its answer, or the error that stopped it."""
    async with db.read() as conn:
        return JsonResponse(await subscriptions.delivery(conn, call, hid, delivery_id))


@router.post(
    "/subscriptions/{hid}/deliveries/{delivery_id}/redeliver",
    summary="Send a delivery again",
    responses={**success(Delivery, examples.REDELIVERY), **ErrorResponses.write},
)
async def redeliver(
    hid: HookId,
    delivery_id: DeliveryId,
    call: Writer,
    subscriptions: SubscriptionsDep,
    writes: WritesDep,
) -> JsonResponse:
    """Queues a new delivery of the same event, due now, and answers it; the original keeps
    its history. The new one has its own `event_delivery` but the same `event_id`, so a
    receiver that deduplicates by event sees it as a repeat."""
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
