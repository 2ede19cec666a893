"""The hosted payment page `GET /v1/view/{session_id}` and its form.

Server-rendered (Jinja2, autoescaped), one stylesheet, no JavaScript. The form posts to
`/v1/view/{session_id}/pay` with a per-session CSRF token; a finished payment answers 303
to the shop's `return_url`. The page calls the same checkout service the API does.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from shopping.checkout.cards import TEST_CARDS, Card, card_number
from shopping.checkout.deps import Pages, Security, public_base
from shopping.checkout.errors import CheckoutSessionNotFound, SessionNotPayable
from shopping.checkout.paying import NOT_PAYABLE, Action, page_call
from shopping.checkout.schemas import is_web_url
from shopping.errors import ShoppingError

router = APIRouter(prefix="/v1", tags=["checkout page"], include_in_schema=False)
STYLESHEET = "/v1/checkout-assets/checkout.css"
_templates = Environment(
    loader=PackageLoader("shopping.checkout", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_CSS = files("shopping.checkout").joinpath("static/checkout.css").read_bytes()
MAX_FORM_BYTES = 8192
Json = dict[str, Any]


@router.get(STYLESHEET.removeprefix("/v1"))
async def stylesheet() -> Response:
    return Response(_CSS, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/view/{session_id}")
async def view(session_id: str, request: Request, pages: Pages, security: Security) -> Response:
    try:
        async with request.app.state.db.read() as conn:
            session, state = await pages.load(conn, session_id)
    except CheckoutSessionNotFound:
        return _message(404, "Payment not found", "This payment link is not valid.")
    if state != "open":
        return _state_page(session, state)
    return _form(session, security.token(session_id))


@router.post("/view/{session_id}/pay")
async def pay(session_id: str, request: Request, pages: Pages, security: Security) -> Response:
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return _message(413, "Form too large", "The form sent was too large.")
    form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if not security.valid(session_id, form.get("csrf_token")):
        return _message(
            403, "Form expired", "This form was not issued for this payment. Reload the page."
        )
    try:
        action = Action(form.get("action", ""))
    except ValueError:
        return _message(400, "Unknown action", "Choose pay, put on hold, decline or cancel.")
    card, errors = _card(form) if action in (Action.PAY, Action.ON_HOLD) else (None, {})
    db = request.app.state.db
    try:
        if errors:
            async with db.read() as conn:
                session, state = await pages.load(conn, session_id)
            if state != "open":
                return _state_page(session, state)
            return _form(session, security.token(session_id), form, errors, status_code=400)
        call = page_call(session_id, request.url.path, public_base(request))
        async with db.write() as conn:
            result = await pages.act(conn, call, session_id, action, card)
    except CheckoutSessionNotFound:
        return _message(404, "Payment not found", "This payment link is not valid.")
    except SessionNotPayable as exc:
        async with db.read() as conn:
            session, state = await pages.load(conn, session_id)
        return _state_page(session, state, status_code=409, reason=exc.reason)
    except ShoppingError as exc:
        return _message(
            exc.status_code if exc.status_code < 500 else 500,
            "Payment not completed",
            exc.message,
        )
    return RedirectResponse(result.redirect_url, status_code=303)


def _card(form: dict[str, str]) -> tuple[Card | None, dict[str, str]]:
    errors: dict[str, str] = {}
    number = card_number(form.get("card_number", ""))
    if number is None:
        errors["card_number"] = "Enter a valid card number."
    expiry = form.get("expiry", "").replace(" ", "")
    month, _, year = expiry.partition("/")
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) in (2, 4)):
        errors["expiry"] = "Enter the expiry date as MM/YY."
    cvc = form.get("cvc", "").strip()
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        errors["cvc"] = "Enter the 3 or 4 digit security code."
    if not form.get("name", "").strip():
        errors["name"] = "Enter the name on the card."
    return (Card(number) if number and not errors else None), errors


def _render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _templates.get_template(template).render(stylesheet=STYLESHEET, **context)
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; form-action *; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer",
        },
    )


def _form(
    session: Json,
    token: str,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    order = session["order"]
    return _render(
        "pay.html",
        status_code,
        session=session,
        order=order,
        items=order.get("items") or [],
        shipping=order.get("shipping_option"),
        money=money,
        csrf_token=token,
        form=form or {},
        errors=errors or {},
        test_cards=TEST_CARDS,
    )


_STATE_TITLES = {
    "paid": "This payment is complete",
    "cancelled": "This payment was cancelled",
    "expired": "This payment link has expired",
}
#: the outcome of a session that has its transaction → the page's title
_OUTCOME_TITLES = {
    "ON_HOLD": "This payment is on hold",
    "DECLINED": "This payment was declined",
    "FAILED": "This payment failed",
}


def _title(session: Json, state: str) -> str:
    if state == "paid":
        for event in reversed(session.get("events") or []):
            status = (event.get("details") or {}).get("transaction_status")
            if status is not None:
                return _OUTCOME_TITLES.get(status, _STATE_TITLES[state])
    return _STATE_TITLES[state]


def _state_page(
    session: Json, state: str, *, status_code: int | None = None, reason: str | None = None
) -> HTMLResponse:
    codes = {"paid": 200, "cancelled": 410, "expired": 410}
    return _render(
        "state.html",
        status_code or codes[state],
        title=_title(session, state),
        state=state,
        reason=reason or NOT_PAYABLE[state],
        session=session,
        order=session["order"],
        money=money,
        return_url=_link(session["url"]["return_url"]),
    )


def _link(url: str) -> str | None:
    """Only web addresses become links (never `javascript:` and the like)."""
    return url if is_web_url(url) else None


def _message(status_code: int, title: str, text: str) -> HTMLResponse:
    return _render("message.html", status_code, title=title, text=text)


def money(amount: int, currency: str) -> str:
    """Minor units shown with two decimals and the currency (`1 234.50 NOK`)."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}".replace(",", "\u202f")
