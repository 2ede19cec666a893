"""HTTP routes of the draft-order API: thin handlers over `Drafts`. Every write runs once
per Idempotency-Key through the write runner."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from shopping.auth.scopes import DISCOUNTS, SHOPPING_READ, SHOPPING_WRITE
from shopping.deps import AccountId, Authorize, Endpoint, endpoint_for, endpoint_of, require_scope
from shopping.documents import OrderItem
from shopping.documents.types import MAX_SAFE_INTEGER
from shopping.draft_orders.repository import DraftFilters
from shopping.draft_orders.schemas import DraftOrder, DraftOrderList, DraftOrderWrite
from shopping.draft_orders.search import normalize
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import Param, QueryString, openapi_parameters

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["draft orders"])

Reader = Annotated[Endpoint, Depends(endpoint_for(SHOPPING_READ))]
DraftId = Annotated[uuid.UUID, Path(description="Draft order id (UUID)")]
LineId = Annotated[int, Path(ge=0, le=2**31 - 1)]
STATUSES = frozenset({"open", "completed", "deleted"})
CURRENCY_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class DraftEndpoint(Endpoint):
    """A draft-changing call, and whether it asked the discount engine."""

    apply_discounts: bool


_authorize_write = Authorize(SHOPPING_WRITE)


async def draft_writer(
    request: Request,
    aid: AccountId,
    apply_discounts: Annotated[
        bool, Query(description="Ask the discount engine; needs a discounts scope as well")
    ] = False,
) -> DraftEndpoint:
    principal = await _authorize_write(request, aid)
    if apply_discounts:
        require_scope(principal, DISCOUNTS, "apply_discounts=true")
    endpoint = await endpoint_of(request, principal)
    return DraftEndpoint(endpoint.call, endpoint.state, apply_discounts)


DraftWriter = Annotated[DraftEndpoint, Depends(draft_writer)]


DRAFT_PARAMS = (
    Param("status", "list", "Draft status (repeat or comma-separate)", tuple(sorted(STATUSES))),
    Param("currency", "list", "ISO 4217 currency codes"),
    Param("customer_id", "text", "order.customer.id"),
    Param("created_at.gte", "date", "Created on or after (date: from its start, UTC)"),
    Param("created_at.lte", "date", "Created on or before (date: to its end, UTC)"),
    Param("net_amount.gte", "integer", "Net amount at least (minor units)"),
    Param("net_amount.lte", "integer", "Net amount at most (minor units)"),
    Param("search", "text", "Prefix of order id, external id, customer id, email, phone, name"),
)


async def draft_filters(request: Request) -> DraftFilters:
    query = QueryString(request.query_params)
    search = query.text("search")
    return DraftFilters(
        statuses=query.many("status", allowed=STATUSES),
        currencies=query.many("currency", pattern=CURRENCY_CODE),
        customer_id=query.text("customer_id"),
        created_from=query.moment_from("created_at.gte"),
        created_until=query.moment_until("created_at.lte"),
        net_amount_gte=query.integer("net_amount.gte", ge=0, le=MAX_SAFE_INTEGER),
        net_amount_lte=query.integer("net_amount.lte", ge=0, le=MAX_SAFE_INTEGER),
        search=normalize(search) if search and search.strip() else None,
    )


@router.post("/draft_orders", response_model=DraftOrder, responses=ErrorResponses.write)
async def create_draft(body: DraftOrderWrite, ctx: DraftWriter) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call,
        lambda conn: state.drafts.create(conn, call, body, apply_discounts=ctx.apply_discounts),
    )


@router.get(
    "/draft_orders",
    response_model=DraftOrderList,
    responses=ErrorResponses.read,
    openapi_extra=openapi_parameters(DRAFT_PARAMS),
)
async def list_drafts(
    ctx: Reader,
    filters: Annotated[DraftFilters, Depends(draft_filters)],
    starting_after: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    cursor = str(starting_after) if starting_after else None
    async with state.db.read() as conn:
        drafts = await state.drafts.list(conn, call, filters, starting_after=cursor, limit=limit)
    return JsonResponse({"draft_orders": drafts})


@router.get("/draft_orders/{id}", response_model=DraftOrder, responses=ErrorResponses.read)
async def get_draft(id: DraftId, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        draft = await state.drafts.get(conn, call, str(id))
    return JsonResponse(draft, headers={"ETag": f'"{draft["version"]}"'})


@router.put("/draft_orders/{id}", response_model=DraftOrder, responses=ErrorResponses.write)
async def update_draft(id: DraftId, body: DraftOrderWrite, ctx: DraftWriter) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call,
        lambda conn: state.drafts.update(
            conn, call, str(id), body, apply_discounts=ctx.apply_discounts
        ),
    )


@router.post("/draft_orders/{id}/items", response_model=DraftOrder, responses=ErrorResponses.write)
async def add_item(id: DraftId, item: OrderItem, ctx: DraftWriter) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call,
        lambda conn: state.drafts.add_item(
            conn, call, str(id), item, apply_discounts=ctx.apply_discounts
        ),
    )


@router.put(
    "/draft_orders/{id}/items/{line_id}", response_model=DraftOrder, responses=ErrorResponses.write
)
async def replace_item(
    id: DraftId, line_id: LineId, item: OrderItem, ctx: DraftWriter
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call,
        lambda conn: state.drafts.replace_item(
            conn, call, str(id), line_id, item, apply_discounts=ctx.apply_discounts
        ),
    )


@router.delete(
    "/draft_orders/{id}/items/{line_id}", response_model=DraftOrder, responses=ErrorResponses.write
)
async def delete_item(id: DraftId, line_id: LineId, ctx: DraftWriter) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call,
        lambda conn: state.drafts.delete_item(
            conn, call, str(id), line_id, apply_discounts=ctx.apply_discounts
        ),
    )
