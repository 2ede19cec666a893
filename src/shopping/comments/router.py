"""`POST /orders/{order_id}/comments`, `DELETE /orders/{order_id}/comments/{comment_id}`;
both answer with the order (reference §2 rows 15–16)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.comments.schemas import CommentCreate
from shopping.comments.service import Comments
from shopping.deps import WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.orders.http import NO_NUL, IncludeEvents, OrderRef, OrdersDep, Writer, run_order_write

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["comments"])
CommentId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


async def get_comments(request: Request) -> Comments:
    comments: Comments = request.app.state.comments
    return comments


CommentsDep = Annotated[Comments, Depends(get_comments)]


@router.post("/orders/{order_id}/comments", responses=ErrorResponses.write)
async def add_comment(
    order_id: OrderRef,
    body: CommentCreate,
    call: Writer,
    comments: CommentsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: comments.add(conn, call, order_id, body)
    )


@router.delete("/orders/{order_id}/comments/{comment_id}", responses=ErrorResponses.write)
async def delete_comment(
    order_id: OrderRef,
    comment_id: CommentId,
    call: Writer,
    comments: CommentsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: comments.delete(conn, call, order_id, comment_id),
    )
