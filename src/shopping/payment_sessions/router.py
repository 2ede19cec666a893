"""`/orders/{order_id}/sessions`: create, list, get (reference §2 rows 31–33)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.checkout.deps import checkout_base
from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.orders.http import OrderRef, Reader, Writer
from shopping.payment_sessions.schemas import SessionCreate
from shopping.payment_sessions.service import PaymentSessions

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["payment sessions"])
SessionId = Annotated[str, Path(min_length=1, max_length=40)]
#: validated from the raw bytes (`kit/json_body.py`): one session per purchase
SESSION_BODY = JsonBody(SessionCreate)


async def get_sessions(request: Request) -> PaymentSessions:
    sessions: PaymentSessions = request.app.state.sessions
    return sessions


SessionsDep = Annotated[PaymentSessions, Depends(get_sessions)]


@router.post(
    "/orders/{order_id}/sessions",
    responses=ErrorResponses.write,
    openapi_extra=SESSION_BODY.openapi,
)
async def create_payment_session(
    order_id: OrderRef, request: Request, call: Writer, sessions: SessionsDep, writes: WritesDep
) -> JsonResponse:
    body, base = await SESSION_BODY.read(request), checkout_base(request)
    return await writes.run(call, lambda uow: sessions.create(uow, call, order_id, body, base))


@router.get("/orders/{order_id}/sessions", responses=ErrorResponses.read)
async def list_payment_sessions(
    order_id: OrderRef, call: Reader, sessions: SessionsDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await sessions.list_sessions(conn, call, order_id))


@router.get("/orders/{order_id}/sessions/{session_id}", responses=ErrorResponses.read)
async def get_payment_session(
    order_id: OrderRef, session_id: SessionId, call: Reader, sessions: SessionsDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await sessions.get(conn, call, order_id, session_id))
