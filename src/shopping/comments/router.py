"""`POST /orders/{order_id}/comments`, `DELETE /orders/{order_id}/comments/{comment_id}`;
both answer with the order (reference §2 rows 15–16)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.comments.examples import COMMENT_CREATE, COMMENTED_ORDER
from shopping.comments.responses import CommentedOrder
from shopping.comments.schemas import CommentCreate
from shopping.comments.service import Comments
from shopping.deps import WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.openapi.responses import success
from shopping.orders.http import NO_NUL, IncludeEvents, OrderRef, OrdersDep, Writer, run_order_write

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["comments"])
CommentId = Annotated[
    str, Path(min_length=1, max_length=40, pattern=NO_NUL, description="The comment's `id`")
]
COMMENT_BODY_EXAMPLE = {
    "requestBody": {"content": {"application/json": {"example": COMMENT_CREATE}}}
}


async def get_comments(request: Request) -> Comments:
    comments: Comments = request.app.state.comments
    return comments


CommentsDep = Annotated[Comments, Depends(get_comments)]


@router.post(
    "/orders/{order_id}/comments",
    summary="Add a comment to an order",
    responses={**success(CommentedOrder, COMMENTED_ORDER), **ErrorResponses.write},
    openapi_extra=COMMENT_BODY_EXAMPLE,
)
async def add_comment(
    order_id: OrderRef,
    body: CommentCreate,
    call: Writer,
    comments: CommentsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Adds a comment to the order's `comments` and answers with the order. Comments are
    accepted whatever the order's status, cancelled included. The order's `version` goes up
    by one, an `api-event` is added and `shopping_order_update` is sent."""
    return await run_order_write(
        writes, orders, call, include_events, lambda conn: comments.add(conn, call, order_id, body)
    )


@router.delete(
    "/orders/{order_id}/comments/{comment_id}",
    summary="Delete a comment",
    responses={
        **success(CommentedOrder, {**COMMENTED_ORDER, "version": 5, "comments": []}),
        **ErrorResponses.write,
    },
)
async def delete_comment(
    order_id: OrderRef,
    comment_id: CommentId,
    call: Writer,
    comments: CommentsDep,
    orders: OrdersDep,
    writes: WritesDep,
    include_events: IncludeEvents = None,
) -> JsonResponse:
    """Removes the comment from the order's `comments` and answers with the order. The
    comment is kept on record as deleted (when and by which client); deleting it again, or
    an unknown comment, is a 404 `COMMENT_NOT_FOUND`. The order's `version` goes up by one,
    an `api-event` is added and `shopping_order_update` is sent."""
    return await run_order_write(
        writes,
        orders,
        call,
        include_events,
        lambda conn: comments.delete(conn, call, order_id, comment_id),
    )
