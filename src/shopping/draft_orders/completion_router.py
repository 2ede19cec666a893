"""`PUT /draft_orders/{id}/complete`: the draft becomes one or more orders (reference §2 row 5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from shopping.auth.scopes import SHOPPING_WRITE
from shopping.deps import Endpoint, endpoint_for
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["draft orders"])

Writer = Annotated[Endpoint, Depends(endpoint_for(SHOPPING_WRITE))]


@router.put("/draft_orders/{id}/complete", responses=ErrorResponses.write)
async def complete_draft(
    id: Annotated[uuid.UUID, Path(description="Draft order id (UUID)")],
    ctx: Writer,
) -> JsonResponse:
    """Returns the completed draft with `orders`: the order(s) it created or updated."""
    call, state = ctx.call, ctx.state
    draft_id = str(id)
    return await state.writes.run(
        call, lambda conn: state.completion.complete(conn, call, draft_id)
    )
