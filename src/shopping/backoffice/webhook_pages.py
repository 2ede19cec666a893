"""Webhooks: subscriptions and their state, deliveries with every attempt, redeliver and
ping; and the account's event feed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from shopping.auth.scopes import HOOKS_READ, HOOKS_WRITE, SHOPPING_READ
from shopping.backoffice.web import (
    PREFIX,
    PageRoute,
    Visitor,
    api_call,
    backoffice_of,
    checked_form,
    redirect,
    require,
    run_write,
    visitor_of,
)

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(visitor_of)]
HookId = Annotated[str, Path(min_length=1, max_length=40)]
DeliveryId = Annotated[str, Path(min_length=1, max_length=40)]
DELIVERIES_SHOWN = 50
FEED_PAGE = 25
NOTICES = {
    "ping": "A ping is queued; it appears below once the worker has sent it.",
    "redelivered": "A new delivery of this event is queued (the original keeps its history).",
}


@router.get("/webhooks")
async def subscriptions(request: Request, visitor: SignedIn) -> Response:
    require(visitor, HOOKS_READ, "Reading webhook subscriptions")
    state = request.app.state
    async with state.db.read() as conn:
        found = await state.subscriptions.list_all(conn, api_call(request, visitor))
    return backoffice_of(request).pages.render(
        "webhooks.html",
        visitor=visitor,
        title="Webhooks",
        section="webhooks",
        subscriptions=found,
    )


@router.get("/webhooks/{hook_id}")
async def subscription(hook_id: HookId, request: Request, visitor: SignedIn) -> Response:
    require(visitor, HOOKS_READ, "Reading webhook subscriptions")
    state, call = request.app.state, api_call(request, visitor)
    async with state.db.read() as conn:
        found = await state.subscriptions.get(conn, call, hook_id)
        deliveries = await state.subscriptions.deliveries(conn, call, hook_id, DELIVERIES_SHOWN)
    return backoffice_of(request).pages.render(
        "webhook.html",
        visitor=visitor,
        title="Webhook subscription",
        section="webhooks",
        hook=found,
        deliveries=deliveries,
        notice=NOTICES.get(request.query_params.get("notice", "")),
    )


@router.get("/webhooks/{hook_id}/deliveries/{delivery_id}")
async def delivery(
    hook_id: HookId, delivery_id: DeliveryId, request: Request, visitor: SignedIn
) -> Response:
    require(visitor, HOOKS_READ, "Reading webhook deliveries")
    state = request.app.state
    async with state.db.read() as conn:
        found = await state.subscriptions.delivery(
            conn, api_call(request, visitor), hook_id, delivery_id
        )
    return backoffice_of(request).pages.render(
        "delivery.html",
        visitor=visitor,
        title="Webhook delivery",
        section="webhooks",
        hook_id=hook_id,
        delivery=found,
    )


@router.post("/webhooks/{hook_id}/ping")
async def ping(hook_id: HookId, request: Request, visitor: SignedIn) -> Response:
    form = await checked_form(request, visitor)
    require(visitor, HOOKS_WRITE, "Pinging a webhook")
    state, call = request.app.state, api_call(request, visitor, form=form)
    await run_write(request, call, lambda conn: state.subscriptions.ping(conn, call, hook_id))
    return redirect(f"{PREFIX}/webhooks/{quote(hook_id, safe='')}", "ping")


@router.post("/webhooks/{hook_id}/deliveries/{delivery_id}/redeliver")
async def redeliver(
    hook_id: HookId, delivery_id: DeliveryId, request: Request, visitor: SignedIn
) -> Response:
    form = await checked_form(request, visitor)
    require(visitor, HOOKS_WRITE, "Redelivering a webhook")
    state, call = request.app.state, api_call(request, visitor, form=form)
    await run_write(
        request, call, lambda conn: state.subscriptions.redeliver(conn, call, hook_id, delivery_id)
    )
    return redirect(f"{PREFIX}/webhooks/{quote(hook_id, safe='')}", "redelivered")


@router.get("/events")
async def event_feed(
    request: Request,
    visitor: SignedIn,
    starting_after: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> Response:
    require(visitor, SHOPPING_READ | HOOKS_READ, "Reading the event feed")
    state = request.app.state
    async with state.db.read() as conn:
        events = await state.event_feed.page(
            conn, api_call(request, visitor), starting_after, FEED_PAGE
        )
    return backoffice_of(request).pages.render(
        "events.html",
        visitor=visitor,
        title="Event feed",
        section="events",
        events=events,
        starting_after=starting_after,
        next_page=f"?starting_after={events[-1]['event_id']}" if len(events) == FEED_PAGE else None,
    )
