"""Drafts: the list with the API's filters and search, and a draft with its api-events."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from shopping.auth.scopes import SHOPPING_READ
from shopping.backoffice.order_view import customer_name
from shopping.backoffice.web import (
    PREFIX,
    PageRoute,
    Visitor,
    api_call,
    backoffice_of,
    require,
    visitor_of,
)
from shopping.draft_orders.router import STATUSES, draft_filters

router = APIRouter(prefix=f"{PREFIX}/drafts", route_class=PageRoute, include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(visitor_of)]
PAGE_SIZE = 25
FILTER_NAMES = ("search", "status", "currency")


@router.get("")
async def draft_list(
    request: Request,
    visitor: SignedIn,
    starting_after: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    require(visitor, SHOPPING_READ, "Reading drafts")
    params = request.query_params
    if any(value == "" for _, value in params.multi_items()):
        kept = [(k, v) for k, v in params.multi_items() if v != ""]
        return RedirectResponse(f"{request.url.path}?{urlencode(kept)}", status_code=303)
    filters = await draft_filters(request)
    state = request.app.state
    cursor = str(starting_after) if starting_after else None
    async with state.db.read() as conn:
        drafts = await state.drafts.list(
            conn, api_call(request, visitor), filters, starting_after=cursor, limit=PAGE_SIZE + 1
        )
    more, drafts = len(drafts) > PAGE_SIZE, drafts[:PAGE_SIZE]
    kept = [(k, v) for k, v in params.multi_items() if k in FILTER_NAMES]
    return backoffice_of(request).pages.render(
        "drafts.html",
        visitor=visitor,
        title="Drafts",
        section="drafts",
        drafts=[(d, customer_name(d.get("order") or {})) for d in drafts],
        filters={name: params.getlist(name) for name in FILTER_NAMES},
        filtered=bool(kept),
        statuses=sorted(STATUSES),
        next_page=f"?{urlencode([*kept, ('starting_after', drafts[-1]['id'])])}" if more else None,
        first_page=f"?{urlencode(kept)}" if cursor else None,
    )


@router.get("/{draft_id}")
async def draft_page(draft_id: uuid.UUID, request: Request, visitor: SignedIn) -> Response:
    require(visitor, SHOPPING_READ, "Reading drafts")
    state = request.app.state
    async with state.db.read() as conn:
        draft = await state.drafts.get(conn, api_call(request, visitor), str(draft_id))
    order = draft.get("order") or {}
    return backoffice_of(request).pages.render(
        "draft.html",
        visitor=visitor,
        title=f"Draft {draft['id']}",
        section="drafts",
        draft=draft,
        order=order,
        currency=order.get("currency"),
        customer_name=customer_name(order),
        events=list(reversed(draft.get("events") or [])),
    )
