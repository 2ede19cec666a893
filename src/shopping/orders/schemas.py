"""Request and response shapes of the order endpoints (Dintero field names exactly).

The order is returned as stored (the client's fields, kept verbatim, plus the server's), so
the response models document it without constraining what else it carries. An order emptied
by its time to live keeps only `id`, `order_id`, `status`, its timestamps, `version` and
`deleted_at`: everything else is optional here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shopping.documents.computed import OrderObjectWithTotals
from shopping.documents.types import CurrencyCode, JsonObject
from shopping.order_events.schemas import contains_nul

OrderStatus = Literal["open", "closed", "cancelled"]
PaymentStatus = Literal["pending", "partially_paid", "paid", "partially_refunded", "refunded"]
EventState = Literal["success", "pending", "failure"]


class CancelOrder(BaseModel):
    """The optional body of `POST /orders/{order_id}/cancel`."""

    model_config = ConfigDict(extra="forbid")

    cancelled_reason: Any = Field(
        None,
        description="Why the order is cancelled: any JSON value, stored as sent, e.g. `customer`",
    )

    @field_validator("cancelled_reason")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class OrderLink(BaseModel):
    """A `_links` entry of an order."""

    href: str = Field(description="The order's URL")
    rel: str = Field(description="Always `order`")


class OrderPaymentDetails(BaseModel):
    """Balances derived from the order's successful payment operations (minor units)."""

    model_config = ConfigDict(extra="allow")

    remaining_authorization_amount: int = Field(description="`net_amount` minus what is authorized")
    remaining_capture_amount: int = Field(description="Authorized, not yet captured or cancelled")
    remaining_cancellation_amount: int = Field(
        description="Authorized, not yet captured or cancelled: what a cancellation may release"
    )
    remaining_refund_amount: int = Field(description="Captured, not yet refunded")
    amount_due: int = Field(
        description="What the customer still owes: `net_amount` minus captured plus refunded, "
        "never below 0"
    )


class Order(OrderObjectWithTotals):
    """An order as returned: the content of the draft(s) that built it (or of its import),
    the totals, and the server's fields."""

    currency: CurrencyCode | None = Field(  # type: ignore[assignment]
        None, description="ISO 4217 currency of every amount, e.g. `NOK`; absent once expired"
    )
    id: str = Field(description="Read-only: the order's UUID")
    order_id: str = Field(
        description="The business id: the custom or generated one, else equal to `id`; "
        "`/orders/{order_id}` accepts either"
    )
    status: OrderStatus = Field(
        description="Read-only: `open`, `closed` or `cancelled`; changed by /close, /open and "
        "/cancel"
    )
    payment_status: PaymentStatus | None = Field(
        None, description="Read-only: derived from the successful captures and refunds"
    )
    payment_details: OrderPaymentDetails | None = Field(
        None, description="Read-only: balances derived from the payment operations"
    )
    version: int = Field(description="Read-only: bumped on every change (the ETag)")
    created_at: datetime = Field(description="Read-only: when the order was created")
    created_by: str = Field(description="Read-only: the client that created it")
    updated_at: datetime = Field(description="Read-only: when the order last changed")
    updated_by: str | None = Field(None, description="Read-only: the client that last changed it")
    deleted_at: datetime | None = Field(
        None, description="Read-only: when the order was emptied by its time to live"
    )
    cancelled_at: datetime | None = Field(None, description="Read-only: when it was cancelled")
    cancelled_by: str | None = Field(None, description="Read-only: the client that cancelled it")
    cancelled_reason: Any = Field(None, description="The reason given to /cancel, as sent")
    closed_at: datetime | None = Field(None, description="Read-only: when it was last closed")
    closed_by: str | None = Field(None, description="Read-only: the client that closed it")
    delivery_id: str | None = Field(None, description="Id of the delivery, set by an update")
    comments: list[JsonObject] | None = Field(
        None, description="Read-only: comments, managed through `/orders/{order_id}/comments`"
    )
    sessions: list[JsonObject] | None = Field(
        None, description="Read-only: payment sessions started for the order"
    )
    authorizations: list[JsonObject] | None = Field(
        None, description="Read-only: recorded authorizations"
    )
    captures: list[JsonObject] | None = Field(None, description="Read-only: recorded captures")
    refunds: list[JsonObject] | None = Field(None, description="Read-only: recorded refunds")
    cancellations: list[JsonObject] | None = Field(
        None, description="Read-only: recorded cancellations of authorized amounts"
    )
    links: list[OrderLink] = Field(alias="_links", description="Read-only: the order's URL")
    events: list[JsonObject] | None = Field(
        None,
        description="Read-only: the order's events of the kinds `include_events` asked for, "
        "oldest first; absent without `include_events`",
    )
    state: EventState | None = Field(
        None,
        description="Read-only: the combined state of the service events; present with "
        "`include_events`",
    )


class OrderList(BaseModel):
    """A page of orders, newest first."""

    orders: list[Order] = Field(
        description="Up to `limit` orders; pass the last one's `id` as `starting_after` for the "
        "next page"
    )
