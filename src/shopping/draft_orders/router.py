"""HTTP routes of the draft-order API: thin handlers over `Drafts`. Every write runs once
per Idempotency-Key through the write runner."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from shopping.auth.scopes import DISCOUNTS, SHOPPING_READ, SHOPPING_WRITE
from shopping.deps import (
    AccountId,
    Authorize,
    AuthorizedCall,
    DatabaseDep,
    WritesDep,
    call_of,
    require_scope,
)
from shopping.documents import OrderItem
from shopping.documents.types import MAX_SAFE_INTEGER, LineIdPath
from shopping.draft_orders.examples import DRAFT, DRAFT_LIST, DRAFT_WRITE, ITEM
from shopping.draft_orders.repository import DraftFilters
from shopping.draft_orders.schemas import DraftOrder, DraftOrderList, DraftOrderWrite
from shopping.draft_orders.search import normalize
from shopping.draft_orders.service import Drafts
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import Param, QueryString, openapi_parameters
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["draft orders"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_READ))]
DraftId = Annotated[uuid.UUID, Path(description="Draft order id (UUID)")]
LineId = Annotated[
    LineIdPath, Path(description="The line's `line_id` (digits), unique within the draft")
]
StartingAfter = Annotated[
    uuid.UUID | None,
    Query(description="Cursor: the `id` of the last draft of the previous page"),
]
STATUSES = frozenset({"open", "completed", "deleted"})
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
#: the bodies of the busiest writes, validated from the raw bytes (`kit/json_body.py`)
DRAFT_BODY = JsonBody(DraftOrderWrite, example=DRAFT_WRITE)
ITEM_BODY = JsonBody(OrderItem, example=ITEM)
DRAFT_ANSWER = success(DraftOrder, DRAFT, description="The draft")


async def get_drafts(request: Request) -> Drafts:
    drafts: Drafts = request.app.state.drafts
    return drafts


DraftsDep = Annotated[Drafts, Depends(get_drafts)]


@dataclass(frozen=True, slots=True)
class DraftChange:
    """A draft-changing call, and whether it asked the discount engine."""

    call: ApiCall
    apply_discounts: bool


class DraftWriterCall:
    """A dependency: a caller authorized to write drafts (`Authorize`), and whether it asked
    for discounts, which needs a discounts scope as well."""

    def __init__(self) -> None:
        self.authorize = Authorize(SHOPPING_WRITE)

    async def __call__(
        self,
        request: Request,
        aid: AccountId,
        apply_discounts: Annotated[
            bool,
            Query(
                description="Run the discount engine: replace the discount lines it made with "
                "the discounts of the account's active rules, then recompute amounts and taxes. "
                "Needs one of the scopes `admin:discounts`, `write:discounts`, "
                "`write:discounts:/available_for_receipt` as well."
            ),
        ] = False,
    ) -> DraftChange:
        principal = await self.authorize(request, aid)
        if apply_discounts:
            require_scope(principal, DISCOUNTS, "apply_discounts=true")
        return DraftChange(await call_of(request, principal), apply_discounts)


DraftWriter = Annotated[DraftChange, Depends(DraftWriterCall())]


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


@router.post(
    "/draft_orders",
    summary="Create a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.write},
    openapi_extra=DRAFT_BODY.openapi,
)
async def create_draft(
    request: Request, change: DraftWriter, drafts: DraftsDep, writes: WritesDep
) -> JsonResponse:
    """Creates an `open` draft from the cart (`order`) and its `options`, at version 1.

    Items without a `line_id` are numbered after the highest one sent; each line gets its
    `net_amount`, and the order its totals and `stores`. With `options.generate_order_id`
    `ALPHANUMERIC_9_RESERVE` the order id is reserved now and set as `order.order_id`.
    Unknown fields are kept and returned as sent. Emits `shopping_draft_add`.
    """
    body = await DRAFT_BODY.read(request)
    return await writes.run(
        change.call,
        lambda conn: drafts.create(conn, change.call, body, apply_discounts=change.apply_discounts),
    )


@router.get(
    "/draft_orders",
    summary="List draft orders",
    responses={**success(DraftOrderList, DRAFT_LIST), **ErrorResponses.read},
    openapi_extra=openapi_parameters(DRAFT_PARAMS),
)
async def list_drafts(
    call: Reader,
    drafts: DraftsDep,
    db: DatabaseDep,
    filters: Annotated[DraftFilters, Depends(draft_filters)],
    starting_after: StartingAfter = None,
    limit: Limit = DEFAULT_LIMIT,
) -> JsonResponse:
    """Lists the account's drafts, newest first, one page at a time; the filters combine
    with AND, the values of one filter with OR."""
    cursor = str(starting_after) if starting_after else None
    async with db.read() as conn:
        page = await drafts.list(conn, call, filters, starting_after=cursor, limit=limit)
    return JsonResponse({"draft_orders": page})


@router.get(
    "/draft_orders/{id}",
    summary="Get a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.read},
)
async def get_draft(id: DraftId, call: Reader, drafts: DraftsDep, db: DatabaseDep) -> JsonResponse:
    """Returns the draft, whatever its status; the `ETag` header carries its `version`."""
    async with db.read() as conn:
        draft = await drafts.get(conn, call, str(id))
    return JsonResponse(draft, headers={"ETag": f'"{draft["version"]}"'})


@router.put(
    "/draft_orders/{id}",
    summary="Update a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.write},
    openapi_extra={"requestBody": {"content": {"application/json": {"example": DRAFT_WRITE}}}},
)
async def update_draft(
    id: DraftId, body: DraftOrderWrite, change: DraftWriter, drafts: DraftsDep, writes: WritesDep
) -> JsonResponse:
    """Replaces the draft's `order` (and its `options`, when sent) and bumps `version`.

    Only an `open` draft takes a new cart; a `completed` one accepts changes to its notes and
    metadata only (409 otherwise). Read-only fields echoed from a read draft are ignored, and
    a `version` in the body (or `If-Match`) must be the current one. A line whose content is
    unchanged keeps its `version`. Emits `shopping_draft_update`.
    """
    return await writes.run(
        change.call,
        lambda conn: drafts.update(
            conn, change.call, str(id), body, apply_discounts=change.apply_discounts
        ),
    )


@router.post(
    "/draft_orders/{id}/items",
    summary="Add an item to a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.write},
    openapi_extra=ITEM_BODY.openapi,
)
async def add_item(
    id: DraftId, request: Request, change: DraftWriter, drafts: DraftsDep, writes: WritesDep
) -> JsonResponse:
    """Appends a line to an `open` draft and returns the whole draft, its totals recomputed.

    Without a `line_id` the line is numbered after the highest one; a `line_id` already in
    use is refused. Emits `shopping_draft_update`.
    """
    item = await ITEM_BODY.read(request)
    return await writes.run(
        change.call,
        lambda conn: drafts.add_item(
            conn, change.call, str(id), item, apply_discounts=change.apply_discounts
        ),
    )


@router.put(
    "/draft_orders/{id}/items/{line_id}",
    summary="Replace an item of a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.write},
    openapi_extra={"requestBody": {"content": {"application/json": {"example": ITEM}}}},
)
async def replace_item(
    id: DraftId,
    line_id: LineId,
    item: OrderItem,
    change: DraftWriter,
    drafts: DraftsDep,
    writes: WritesDep,
) -> JsonResponse:
    """Replaces the line `line_id` of an `open` draft with the body and returns the whole
    draft, its totals recomputed. The path names the line: a `line_id` in the body is
    ignored. Emits `shopping_draft_update`."""
    return await writes.run(
        change.call,
        lambda conn: drafts.replace_item(
            conn, change.call, str(id), line_id, item, apply_discounts=change.apply_discounts
        ),
    )


@router.delete(
    "/draft_orders/{id}/items/{line_id}",
    summary="Remove an item from a draft order",
    responses={**DRAFT_ANSWER, **ErrorResponses.write},
)
async def delete_item(
    id: DraftId, line_id: LineId, change: DraftWriter, drafts: DraftsDep, writes: WritesDep
) -> JsonResponse:
    """Removes the line `line_id` from an `open` draft and returns the whole draft, its
    totals recomputed. Emits `shopping_draft_update`."""
    return await writes.run(
        change.call,
        lambda conn: drafts.delete_item(
            conn, change.call, str(id), line_id, apply_discounts=change.apply_discounts
        ),
    )
