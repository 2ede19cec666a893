"""How checkout routes reach their services and this server's public address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shopping.auth.scopes import CHECKOUT_READ, CHECKOUT_WRITE
from shopping.checkout.page_security import PageSecurity
from shopping.checkout.paying import PaymentPage
from shopping.checkout.service import Checkout
from shopping.deps import AuthorizedCall
from shopping.kit.requests import ApiCall


def get_checkout(request: Request) -> Checkout:
    checkout: Checkout = request.app.state.checkout
    return checkout


def get_payment_page(request: Request) -> PaymentPage:
    page: PaymentPage = request.app.state.payment_page
    return page


def get_page_security(request: Request) -> PageSecurity:
    security: PageSecurity = request.app.state.checkout_page_security
    return security


Checkouts = Annotated[Checkout, Depends(get_checkout)]
Pages = Annotated[PaymentPage, Depends(get_payment_page)]
Security = Annotated[PageSecurity, Depends(get_page_security)]
CheckoutReader = Annotated[ApiCall, Depends(AuthorizedCall(CHECKOUT_READ))]
CheckoutWriter = Annotated[ApiCall, Depends(AuthorizedCall(CHECKOUT_WRITE))]
CheckoutAdmin = Annotated[ApiCall, Depends(AuthorizedCall(frozenset({"admin:checkout"})))]


def origin_of(request: Request) -> str:
    """`scheme://host` as the client addressed this server."""
    host = request.headers.get("host") or "localhost"
    return f"{request.url.scheme}://{host}"


def public_base(request: Request) -> str:
    """Where this server's pages are: `SHOPPING_PUBLIC_URL` or the request's origin."""
    public_url: str | None = request.app.state.settings.public_url
    return (public_url or origin_of(request)).rstrip("/")


def checkout_base(request: Request) -> str:
    """The base of hosted-page links: `SHOPPING_CHECKOUT_URL`, else this server's own."""
    checkout_url: str | None = request.app.state.settings.checkout_url
    return (checkout_url or public_base(request)).rstrip("/")
