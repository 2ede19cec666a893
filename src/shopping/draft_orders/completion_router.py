"""`PUT /draft_orders/{id}/complete`: the draft becomes one or more orders (reference §2 row 5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.auth.scopes import SHOPPING_WRITE
from shopping.deps import AuthorizedCall, WritesDep
from shopping.draft_orders.completion import DraftCompletion
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["draft orders"])

Writer = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_WRITE))]


async def get_completion(request: Request) -> DraftCompletion:
    completion: DraftCompletion = request.app.state.completion
    return completion


CompletionDep = Annotated[DraftCompletion, Depends(get_completion)]


@router.put("/draft_orders/{id}/complete", responses=ErrorResponses.write)
async def complete_draft(
    id: Annotated[uuid.UUID, Path(description="Draft order id (UUID)")],
    call: Writer,
    completion: CompletionDep,
    writes: WritesDep,
) -> JsonResponse:
    """Returns the completed draft with `orders`: the order(s) it created or updated."""
    draft_id = str(id)
    return await writes.run(call, lambda conn: completion.complete(conn, call, draft_id))
