"""`/orders/{order_id}/sessions`: create, list, get (reference §2 rows 31–33)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from shopping.checkout.deps import checkout_base
from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.json_body import JsonBody
from shopping.openapi.responses import success
from shopping.orders.http import OrderRef, Reader, Writer
from shopping.payment_sessions.examples import SESSION, SESSION_CREATE
from shopping.payment_sessions.responses import PaymentSession, PaymentSessionList
from shopping.payment_sessions.schemas import PaymentSessionCreate
from shopping.payment_sessions.service import PaymentSessions

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["payment sessions"])
SessionId = Annotated[str, Path(min_length=1, max_length=40, description="The session's `id`")]
#: validated from the raw bytes (`kit/json_body.py`): one session per purchase
SESSION_BODY = JsonBody(PaymentSessionCreate, example=SESSION_CREATE)


async def get_sessions(request: Request) -> PaymentSessions:
    sessions: PaymentSessions = request.app.state.sessions
    return sessions


SessionsDep = Annotated[PaymentSessions, Depends(get_sessions)]


@router.post(
    "/orders/{order_id}/sessions",
    summary="Start a payment session",
    responses={**success(PaymentSession, SESSION), **ErrorResponses.write},
    openapi_extra=SESSION_BODY.openapi,
)
async def create_payment_session(
    order_id: OrderRef, request: Request, call: Writer, sessions: SessionsDep, writes: WritesDep
) -> JsonResponse:
    """Starts a Checkout session in which the customer pays for some of the order's lines,
    and answers with it; `url` is its checkout page. The Checkout session's
    `merchant_reference` is the order's `order_id`; `configuration`, `customer` and
    `expires_at`, when sent, are passed on to it.

    Each line's amount has the sign of the line's net amount and may be at most what is not
    yet captured of the line (409 `AMOUNT_EXCEEDS_LIMIT`); an unknown `line_id` or a wrong
    sign is a 400. A session moves no money: what the customer then pays is recorded as the
    order's authorizations and captures. A cancelled order accepts no session (409
    `ORDER_CANCELLED`).

    The session is added to the order's `sessions`; the order's `version` goes up by one, an
    `api-event` is added and `shopping_order_update` is sent."""
    body, base = await SESSION_BODY.read(request), checkout_base(request)
    return await writes.run(call, lambda uow: sessions.create(uow, call, order_id, body, base))


@router.get(
    "/orders/{order_id}/sessions",
    summary="List the order's payment sessions",
    responses={**success(PaymentSessionList, {"sessions": [SESSION]}), **ErrorResponses.read},
)
async def list_payment_sessions(
    order_id: OrderRef, call: Reader, sessions: SessionsDep, db: DatabaseDep
) -> JsonResponse:
    """Every payment session started for the order, oldest first."""
    async with db.read() as conn:
        return JsonResponse(await sessions.list_sessions(conn, call, order_id))


@router.get(
    "/orders/{order_id}/sessions/{session_id}",
    summary="Get a payment session",
    responses={**success(PaymentSession, SESSION), **ErrorResponses.read},
)
async def get_payment_session(
    order_id: OrderRef, session_id: SessionId, call: Reader, sessions: SessionsDep, db: DatabaseDep
) -> JsonResponse:
    """One payment session of the order (404 `SESSION_NOT_FOUND` when the order has none by
    that id)."""
    async with db.read() as conn:
        return JsonResponse(await sessions.get(conn, call, order_id, session_id))
