"""What the payment-session endpoints answer: a session started for some of an order's lines,
or the order's list of them (reference §3.12, decision 26). The client's fields are echoed as
stored, unknown ones included; the server's are always present."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shopping.payment_sessions.schemas import PaymentSessionLine, PaymentSessionUrls


class SessionLink(BaseModel):
    """The session's checkout page."""

    href: str = Field(description="The URL of the session's checkout page (the same as `url`)")
    rel: str = Field(description="Always `session_url`")


class PaymentSession(BaseModel):
    """A Checkout session started for some of an order's lines."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Read-only: the Checkout session's id, set by the server")
    created_at: datetime = Field(description="Read-only: when the session was started (UTC)")
    created_by: str = Field(description="Read-only: the API client that started it")
    amount: int = Field(description="Read-only: the sum of `items[].amount`, in minor units")
    items: list[PaymentSessionLine] = Field(description="The order lines to pay for")
    url: str = Field(description="Read-only: the session's checkout page, where the customer pays")
    urls: PaymentSessionUrls = Field(description="The client's addresses (the request's `url`)")
    profile_id: str = Field(description="The Checkout configuration profile used")
    processed_at: datetime | None = Field(None, description="When it was started, as sent")
    metadata: dict[str, Any] | None = Field(None, description="The client's own data, as sent")
    express: dict[str, Any] | None = Field(None, description="Express Checkout settings, as sent")
    merchant_reference: str | None = Field(
        None, description="The client's reference for the session, as sent"
    )
    shipping_option: dict[str, Any] | None = Field(
        None, description="The shipping option chosen in advance, as sent"
    )
    links: list[SessionLink] = Field(alias="_links", description="Read-only: the checkout page")


class PaymentSessionList(BaseModel):
    sessions: list[PaymentSession] = Field(description="The order's sessions, oldest first")
