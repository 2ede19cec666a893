"""`PUT /draft_orders/{id}/complete`: the draft becomes one or more orders (reference §2 row 5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.auth.scopes import SHOPPING_WRITE
from shopping.deps import AuthorizedCall, WritesDep
from shopping.draft_orders.completion import DraftCompletion
from shopping.draft_orders.schemas import CompletedDraft
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success
from shopping.orders.examples import COMPLETED_DRAFT

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["draft orders"])

Writer = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_WRITE))]


async def get_completion(request: Request) -> DraftCompletion:
    completion: DraftCompletion = request.app.state.completion
    return completion


CompletionDep = Annotated[DraftCompletion, Depends(get_completion)]


@router.put(
    "/draft_orders/{id}/complete",
    summary="Complete a draft order",
    responses={
        **success(CompletedDraft, COMPLETED_DRAFT, description="The draft and its orders"),
        **ErrorResponses.write,
    },
)
async def complete_draft(
    id: Annotated[uuid.UUID, Path(description="Draft order id (UUID)")],
    call: Writer,
    completion: CompletionDep,
    writes: WritesDep,
) -> JsonResponse:
    """Turns an `open` draft with items into orders, in one step, and marks it `completed`.

    Returns the completed draft with `orders`: the order(s) it created or updated. With
    `options.split_draft` the draft makes one order per item store; with `options.order_id`
    it is merged into that existing order instead (`options.replace: order` replaces the
    order's content, allowed only while it has no payment operations). A completed draft
    cannot be completed again (409). Orders start `open` with `payment_status` `pending`.
    Emits `shopping_draft_complete`, with the orders.
    """
    draft_id = str(id)
    return await writes.run(call, lambda conn: completion.complete(conn, call, draft_id))
