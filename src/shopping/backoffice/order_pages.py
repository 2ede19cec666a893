"""Orders: the filtered list, the order page, and the actions an operator takes on an order.

Every read and write goes through the same services the API routes call (list filters are
parsed by the API's own parser); a refused action shows the API's message on the order page.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import RedirectResponse, Response

from shopping.auth.scopes import SHOPPING_READ, SHOPPING_WRITE
from shopping.backoffice import order_view
from shopping.backoffice.money import minor_units
from shopping.backoffice.web import (
    PREFIX,
    Form,
    PageRoute,
    Visitor,
    api_call,
    backoffice_of,
    checked_form,
    redirect,
    require,
    run_write,
    visitor_of,
)
from shopping.comments.schemas import CommentCreate
from shopping.errors import ShoppingError, ValidationFailed, error_path
from shopping.kit.requests import ApiCall
from shopping.orders.filters import account_filters
from shopping.orders.http import NO_NUL
from shopping.orders.service import EVENT_TYPES
from shopping.orders.state import PAYMENT_STATUSES, STATUSES
from shopping.payment_operations.rules import CAPTURE, REFUND
from shopping.payment_operations.schemas import OperationCreate

router = APIRouter(prefix=f"{PREFIX}/orders", route_class=PageRoute, include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(visitor_of)]
OrderRef = Annotated[str, Path(min_length=1, max_length=255, pattern=NO_NUL)]
CommentId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
PAGE_SIZE = 25
FILTER_NAMES = (
    "search",
    "status",
    "payment_status",
    "currency",
    "created_at.gte",
    "created_at.lte",
)
NOTICES = {
    "comment-added": "Comment added.",
    "comment-deleted": "Comment deleted.",
    "cancelled": "The order is cancelled.",
    "closed": "The order is closed.",
    "opened": "The order is open again.",
    "captured": "Capture recorded.",
    "refunded": "Refund recorded.",
}
Json = dict[str, Any]
#: a change of the order, run with the call (who, what) in the write's transaction
Action = Callable[[ApiCall, Any], Awaitable[object]]


@router.get("")
async def order_list(
    request: Request,
    visitor: SignedIn,
    starting_after: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    require(visitor, SHOPPING_READ, "Reading orders")
    params = request.query_params
    if any(value == "" for _, value in params.multi_items()):
        # a submitted filter form names every field; the blank ones filter nothing
        kept = [(k, v) for k, v in params.multi_items() if v != ""]
        return RedirectResponse(f"{request.url.path}?{urlencode(kept)}", status_code=303)
    filters = await account_filters(request)
    state = request.app.state
    cursor = str(starting_after) if starting_after else None
    async with state.db.read() as conn:
        orders = await state.orders.list_page(
            conn,
            api_call(request, visitor),
            filters,
            starting_after=cursor,
            limit=PAGE_SIZE + 1,
            event_types=frozenset(),
        )
    more, orders = len(orders) > PAGE_SIZE, orders[:PAGE_SIZE]
    kept = [(k, v) for k, v in params.multi_items() if k in FILTER_NAMES]
    next_page = f"?{urlencode([*kept, ('starting_after', orders[-1]['id'])])}" if more else None
    return backoffice_of(request).pages.render(
        "orders.html",
        visitor=visitor,
        title="Orders",
        section="orders",
        orders=[(order, order_view.customer_name(order)) for order in orders],
        filters={name: params.getlist(name) for name in FILTER_NAMES},
        filtered=bool(kept),
        statuses=sorted(STATUSES),
        payment_statuses=sorted(PAYMENT_STATUSES),
        next_page=next_page,
        first_page=f"?{urlencode(kept)}" if cursor else None,
    )


async def _order_page(
    request: Request,
    visitor: Visitor,
    reference: str,
    *,
    error: ShoppingError | None = None,
) -> Response:
    require(visitor, SHOPPING_READ, "Reading orders")
    state = request.app.state
    async with state.db.read() as conn:
        order = await state.orders.get(conn, api_call(request, visitor), reference, EVENT_TYPES)
    lines = order_view.ledger_lines(order)
    notice = NOTICES.get(request.query_params.get("notice", "")) if error is None else None
    return backoffice_of(request).pages.render(
        "order.html",
        error.status_code if error else 200,
        visitor=visitor,
        title=f"Order {order.get('order_id') or order['id']}",
        section="orders",
        order=order,
        currency=order.get("currency"),
        customer_name=order_view.customer_name(order),
        lines=lines,
        operations=order_view.operations(order),
        authorizations=order_view.authorizations(order),
        allowed=order_view.allowed_actions(order, lines),
        comments=order.get("comments") or [],
        sessions=order.get("sessions") or [],
        events=list(reversed(order.get("events") or [])),
        notice=notice,
        error=error,
    )


@router.get("/{reference}")
async def order_page(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
    return await _order_page(request, visitor, reference)


async def _act(
    request: Request,
    visitor: Visitor,
    reference: str,
    change: Callable[[Form], tuple[Json | None, Action]],
    notice: str,
) -> Response:
    """CSRF and scope first (refused: nothing runs); then the service in one write. A refusal
    by the service is shown on the order page with its status code and message."""
    form = await checked_form(request, visitor)
    require(visitor, SHOPPING_WRITE, "Changing orders")
    try:
        body, action = change(form)
        call = api_call(request, visitor, body, form)
        await run_write(request, call, lambda conn: action(call, conn))
    except ShoppingError as exc:
        if exc.status_code == 404:
            raise
        return await _order_page(request, visitor, reference, error=exc)
    return redirect(f"{PREFIX}/orders/{quote(reference, safe='')}", notice)


def _validated(model: type[BaseModel], data: Json) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"path": error_path(e["loc"]), "message": str(e["msg"])} for e in exc.errors()]
        first = details[0]
        raise ValidationFailed(
            f"{first['path']}: {first['message']}" if first["path"] else first["message"],
            errors=details,
        ) from exc


@router.post("/{reference}/comments")
async def add_comment(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
    state = request.app.state

    def change(form: Form) -> tuple[Json, Action]:
        body = {"body": form.get("body"), "visibility": form.get("visibility") or "private"}
        comment = _validated(CommentCreate, body)
        return body, lambda call, conn: state.comments.add(conn, call, reference, comment)

    return await _act(request, visitor, reference, change, "comment-added")


@router.post("/{reference}/comments/{comment_id}/delete")
async def delete_comment(
    reference: OrderRef, comment_id: CommentId, request: Request, visitor: SignedIn
) -> Response:
    state = request.app.state

    def change(_: Form) -> tuple[None, Action]:
        return None, lambda call, conn: state.comments.delete(conn, call, reference, comment_id)

    return await _act(request, visitor, reference, change, "comment-deleted")


@router.post("/{reference}/cancel")
async def cancel(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
    state = request.app.state

    def change(form: Form) -> tuple[Json | None, Action]:
        reason = form.get("cancelled_reason").strip() or None
        if reason is not None and "\x00" in reason:
            raise ValidationFailed("The reason must not contain NUL characters")
        body = {"cancelled_reason": reason} if reason else None
        return body, lambda call, conn: state.order_actions.cancel(conn, call, reference, reason)

    return await _act(request, visitor, reference, change, "cancelled")


@router.post("/{reference}/close")
async def close(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
    state = request.app.state

    def change(_: Form) -> tuple[None, Action]:
        return None, lambda call, conn: state.order_actions.close(conn, call, reference)

    return await _act(request, visitor, reference, change, "closed")


@router.post("/{reference}/open")
async def reopen(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
    state = request.app.state

    def change(_: Form) -> tuple[None, Action]:
        return None, lambda call, conn: state.order_actions.reopen(conn, call, reference)

    return await _act(request, visitor, reference, change, "opened")


def operation_body(form: Form, currency: str | None, kind: str) -> Json:
    """The chosen lines (`line` checkboxes) and their amounts, typed in major units."""
    items = []
    for raw in form.getlist("line"):
        if not raw.isdigit():
            raise ValidationFailed(f"Unknown order line {raw!r}")
        text = form.get(f"amount_{raw}")
        amount = minor_units(text, currency)
        if amount is None or amount == 0:
            raise ValidationFailed(
                f"Line {raw}: enter an amount in {currency or 'the order currency'}, "
                f"e.g. 125.00 (got {text!r})"
            )
        sign = -1 if form.get(f"negative_{raw}") == "1" else 1
        items.append({"line_id": int(raw), "amount": sign * abs(amount)})
    if not items:
        raise ValidationFailed(f"Choose at least one line to {kind}")
    body: Json = {"items": items}
    if form.get("authorization_id"):
        body["authorization_id"] = form.get("authorization_id")
    return body


def _record(kind: str, notice: str) -> Callable[..., Awaitable[Response]]:
    async def record(reference: OrderRef, request: Request, visitor: SignedIn) -> Response:
        state = request.app.state

        def change(form: Form) -> tuple[Json, Action]:
            body = operation_body(form, form.get("currency") or None, kind)
            operation = _validated(OperationCreate, body)
            return body, lambda call, conn: state.payments.record(
                conn, call, reference, kind, operation
            )

        return await _act(request, visitor, reference, change, notice)

    return record


router.add_api_route("/{reference}/captures", _record(CAPTURE, "captured"), methods=["POST"])
router.add_api_route("/{reference}/refunds", _record(REFUND, "refunded"), methods=["POST"])
