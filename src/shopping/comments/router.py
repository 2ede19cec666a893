"""`POST /orders/{order_id}/comments`, `DELETE /orders/{order_id}/comments/{comment_id}`;
both answer with the order (reference §2 rows 15–16)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from shopping.comments.schemas import CommentCreate
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.orders.http import NO_NUL, IncludeEvents, OrderRef, Writer, run_order_write

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["comments"])
CommentId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


@router.post("/orders/{order_id}/comments", responses=ErrorResponses.write)
async def add_comment(
    order_id: OrderRef,
    body: CommentCreate,
    ctx: Writer,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await run_order_write(
        state, call, include_events, lambda conn: state.comments.add(conn, call, order_id, body)
    )


@router.delete("/orders/{order_id}/comments/{comment_id}", responses=ErrorResponses.write)
async def delete_comment(
    order_id: OrderRef,
    comment_id: CommentId,
    ctx: Writer,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await run_order_write(
        state,
        call,
        include_events,
        lambda conn: state.comments.delete(conn, call, order_id, comment_id),
    )
