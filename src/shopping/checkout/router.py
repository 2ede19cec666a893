"""The Checkout API subset: `/v1/accounts/{aid}/checkout/...` with Dintero's paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request

from shopping.checkout import examples
from shopping.checkout.deps import (
    CheckoutAdmin,
    CheckoutReader,
    Checkouts,
    CheckoutWriter,
    checkout_base,
)
from shopping.checkout.documents import view_url
from shopping.checkout.filters import TRANSACTION_PARAMS, transaction_filters
from shopping.checkout.responses import (
    CallbackLog,
    CheckoutSession,
    CheckoutSessionCreated,
    SignatureSecret,
    Transaction,
)
from shopping.checkout.schemas import CaptureCreate, CheckoutSessionCreate, RefundCreate
from shopping.checkout.service import NewSession, public_transaction
from shopping.db.unit_of_work import UnitOfWork
from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.openapi.responses import success
from shopping.webhooks.callbacks import callback_log

router = APIRouter(prefix="/v1/accounts/{aid}/checkout", tags=["checkout"])
CHECKOUT_ID = r"^[A-Za-z0-9.]+$"
SessionId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=CHECKOUT_ID,
        description="The session's id",
        examples=[examples.SESSION_ID],
    ),
]
TransactionId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=CHECKOUT_ID,
        description="The transaction's id",
        examples=[examples.TRANSACTION_ID],
    ),
]
StartingAfter = Annotated[
    str | None,
    Query(
        max_length=64,
        description="The id of the last item of the previous page: the page after it",
    ),
]
SessionBody = Annotated[
    CheckoutSessionCreate,
    Body(
        openapi_examples={"card": {"summary": "One order line", "value": examples.SESSION_CREATE}}
    ),
]
CaptureBody = Annotated[
    CaptureCreate,
    Body(openapi_examples={"full": {"summary": "The whole amount", "value": examples.CAPTURE}}),
]
RefundBody = Annotated[
    RefundCreate,
    Body(openapi_examples={"part": {"summary": "Part of one line", "value": examples.REFUND}}),
]
Json = dict[str, Any]


@router.post(
    "/sessions-profile",
    summary="Create a checkout session",
    responses={**success(CheckoutSessionCreated, examples.SESSION_CREATED), **ErrorResponses.write},
)
async def create_checkout_session(
    body: SessionBody,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
    request: Request,
    include_session: Annotated[
        bool, Query(description="Also answer the whole session as `session`")
    ] = False,
) -> JsonResponse:
    """Creates a session for the hosted payment page from a payment profile and answers its
    id and the page's `url` to send the customer to. With `items`, `order.amount` must equal
    their sum plus the shipping (Dintero's `strict-session-amounts`, always on). The session
    expires at `expires_at` (24 hours by default). Paying on the page makes the session's
    transaction, calls `callback_url` and sends the browser to `return_url`."""
    base = checkout_base(request)

    async def use_case(uow: UnitOfWork) -> Json:
        session = await checkout.create_session(uow, call, NewSession(body.to_document()))
        created: Json = {"id": session["id"], "url": view_url(base, session["id"])}
        return {**created, "session": session} if include_session else created

    return await writes.run(call, use_case)


@router.get(
    "/sessions",
    summary="List checkout sessions",
    responses={**success(list[CheckoutSession], [examples.SESSION]), **ErrorResponses.read},
)
async def list_checkout_sessions(
    call: CheckoutReader,
    checkout: Checkouts,
    db: DatabaseDep,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: StartingAfter = None,
    merchant_reference: Annotated[
        str | None,
        Query(min_length=1, max_length=255, description="Only sessions with this reference"),
    ] = None,
) -> JsonResponse:
    """The account's sessions, newest first, a page at a time; an unknown `starting_after`
    is a 400."""
    async with db.read() as uow:
        sessions = await checkout.list_sessions(
            uow,
            call.account_id,
            merchant_reference=merchant_reference,
            starting_after=starting_after,
            limit=limit,
        )
    return JsonResponse(sessions)


@router.get(
    "/sessions/{session_id}",
    summary="Get a checkout session",
    responses={**success(CheckoutSession, examples.PAID_SESSION), **ErrorResponses.read},
)
async def get_checkout_session(
    session_id: SessionId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    """The session with its events. A session has no status field: `transaction_id` is set
    once it is paid, `cancelled_at` once it is cancelled, and past `expires_at` it can no
    longer be paid."""
    async with db.read() as uow:
        return JsonResponse(await checkout.session(uow, call.account_id, session_id))


@router.post(
    "/sessions/{session_id}/cancel",
    summary="Cancel a checkout session",
    responses={**success(CheckoutSession, examples.CANCELLED_SESSION), **ErrorResponses.write},
)
async def cancel_session(
    session_id: SessionId, call: CheckoutWriter, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    """Cancels the session so it can no longer be paid, and answers it with `cancelled_at`,
    `cancelled_by` and a `CANCELLED` event. A paid session can be cancelled only while its
    transaction is `AUTHORIZED`: the authorization is then voided (and, for an order
    session, recorded on the order). A cancelled session, or one whose transaction has
    moved on, is a 409."""
    return await writes.run(
        call,
        lambda uow: checkout.cancel_session(uow, call, session_id, call.principal.client_id),
    )


@router.get(
    "/sessions/{session_id}/callbacks",
    summary="List a session's callbacks",
    responses={**success(CallbackLog, examples.CALLBACKS), **ErrorResponses.read},
)
async def list_callbacks(
    session_id: SessionId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    """The calls of the session's `callback_url`, oldest first, each with every attempt:
    when it was made, the shop's status code or the error. 5xx answers and network failures
    are retried; any other answer is final."""
    async with db.read() as uow:
        await checkout.session(uow, call.account_id, session_id)
        return JsonResponse({"callbacks": await callback_log(uow, call.account_id, session_id)})


@router.get(
    "/transactions",
    summary="List transactions",
    responses={**success(list[Transaction], [examples.TRANSACTION]), **ErrorResponses.read},
    openapi_extra=openapi_parameters(TRANSACTION_PARAMS),
)
async def list_transactions(
    request: Request,
    call: CheckoutReader,
    checkout: Checkouts,
    db: DatabaseDep,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: StartingAfter = None,
) -> JsonResponse:
    """The account's transactions, newest first, a page at a time, filtered by the query
    (every filter given must match; a list filter matches any of its values, written
    repeated, comma-separated or as Dintero's `id[]`)."""
    filters = transaction_filters(request.query_params)
    async with db.read() as uow:
        found = await checkout.list_transactions(
            uow, call.account_id, filters, starting_after=starting_after, limit=limit
        )
    return JsonResponse([public_transaction(t) for t in found])


@router.get(
    "/transactions/{transaction_id}",
    summary="Get a transaction",
    responses={**success(Transaction, examples.TRANSACTION), **ErrorResponses.read},
)
async def get_transaction(
    transaction_id: TransactionId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    """The transaction with its status and every event: the authorization and each
    capture, refund and void."""
    async with db.read() as uow:
        found = await checkout.transaction(uow, call.account_id, transaction_id)
    return JsonResponse(public_transaction(found))


@router.post(
    "/transactions/{transaction_id}/capture",
    summary="Capture a transaction",
    responses={**success(Transaction, examples.CAPTURED_TRANSACTION), **ErrorResponses.write},
)
async def capture(
    transaction_id: TransactionId,
    body: CaptureBody,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
) -> JsonResponse:
    """Captures all or part of what is authorized and not yet captured or voided, per line
    (`items`) or spread over the lines; the transaction becomes `CAPTURED` or
    `PARTIALLY_CAPTURED` and gets a `CAPTURE` event. Allowed from `AUTHORIZED`,
    `PARTIALLY_CAPTURED` and `PARTIALLY_CAPTURED_REFUNDED`, else 409; more than remains is
    409 `AMOUNT_EXCEEDS_LIMIT`. For an order session the capture is recorded on the order
    too."""
    return await writes.run(call, lambda uow: checkout.capture(uow, call, transaction_id, body))


@router.post(
    "/transactions/{transaction_id}/refund",
    summary="Refund a transaction",
    responses={**success(Transaction, examples.REFUNDED_TRANSACTION), **ErrorResponses.write},
)
async def refund(
    transaction_id: TransactionId,
    body: RefundBody,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
) -> JsonResponse:
    """Refunds all or part of what is captured and not yet refunded, per line (`items`) or
    spread over the lines; the transaction becomes `REFUNDED`, `PARTIALLY_REFUNDED` or
    `PARTIALLY_CAPTURED_REFUNDED` and gets a `REFUND` event. Allowed once something is
    captured, else 409; more than remains is 409 `AMOUNT_EXCEEDS_LIMIT`. For an order
    session the refund is recorded on the order too."""
    return await writes.run(call, lambda uow: checkout.refund(uow, call, transaction_id, body))


@router.post(
    "/transactions/{transaction_id}/void",
    summary="Void a transaction's authorization",
    responses={**success(Transaction, examples.VOIDED_TRANSACTION), **ErrorResponses.write},
)
async def void(
    transaction_id: TransactionId, call: CheckoutWriter, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    """Releases everything authorized and not captured; no body. Before any capture the
    transaction becomes `AUTHORIZATION_VOIDED`; after a partial capture the captured part
    decides its status (`CAPTURED`, or a refunded status). Allowed from `AUTHORIZED`,
    `PARTIALLY_CAPTURED` and `PARTIALLY_CAPTURED_REFUNDED` (else 409). For an order session
    the cancellation is recorded on the order too."""
    return await writes.run(call, lambda uow: checkout.void(uow, call, transaction_id))


@router.post(
    "/admin/signature",
    summary="Create the callback signature secret",
    responses={**success(SignatureSecret, examples.SIGNATURE), **ErrorResponses.write},
)
async def create_signature(
    call: CheckoutAdmin, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    """Creates the account's secret, replacing any earlier one, and answers it. From then
    on every callback carries `Dintero-Signature: t=<unix time>,v0-hmac-sha256=<hex>`: the
    HMAC-SHA256, keyed with the secret, of these lines joined by newlines: the time, the
    account id, the method, the URL's host name, its path and its query sorted by key (the
    body is not signed). Needs `admin:checkout`."""
    return await writes.run(call, lambda uow: checkout.create_signature(uow, call))


@router.get(
    "/admin/signature",
    summary="Get the callback signature secret",
    responses={**success(SignatureSecret, examples.SIGNATURE), **ErrorResponses.read},
)
async def get_signature(call: CheckoutAdmin, checkout: Checkouts, db: DatabaseDep) -> JsonResponse:
    """The account's current callback-signing secret; 404 until one is created. Needs
    `admin:checkout`."""
    async with db.read() as uow:
        return JsonResponse(await checkout.signature(uow, call.account_id))
