"""What the Hooks API answers: subscriptions and their deliveries, as the OpenAPI document
describes them (the handlers build the JSON; these models only document it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shopping.documents.types import Moment

DeliveryStatus = Literal["pending", "delivered", "failed", "cancelled"]


class SubscriptionSecretShown(BaseModel):
    """A subscription's secret as answers show it: its type, never its value."""

    type: Literal["HMAC-SHA1"] = Field(description="How deliveries are signed: `HMAC-SHA1`.")


class SubscriptionConfigShown(BaseModel):
    """The subscription's `config` as written, without the secret's value."""

    url: str = Field(description="The URL each delivery is POSTed to.")
    content_type: Literal["application/json"] = Field(description="The body's media type.")
    secret: SubscriptionSecretShown | None = Field(
        default=None, description="Present when deliveries are signed; only the type is shown."
    )
    insecure_ssl: Literal[0, 1, "0", "1"] | None = Field(
        default=None, description="Dintero's TLS flag as given (certificates are verified)."
    )


class Subscription(BaseModel):
    """A webhook subscription: what was written, and the server's bookkeeping."""

    id: str = Field(description="The subscription's id (a UUID). Read-only: set by the server.")
    account_id: str = Field(description="The account it belongs to. Read-only.")
    config: SubscriptionConfigShown = Field(description="Where and how deliveries are sent.")
    events: list[str] = Field(description="The events it receives.")
    active: bool = Field(
        description="Whether events are delivered; `false` when switched off, disabled by the "
        "server (see `disabled_at`) or deleted."
    )
    fields: str | None = Field(default=None, description="Dintero's field mask, as written.")
    exclude_fields: list[str] | None = Field(
        default=None, description="Dintero's fields to leave out, as written."
    )
    created_at: Moment = Field(description="When it was created (UTC). Read-only.")
    updated_at: Moment = Field(description="When it was last written (UTC). Read-only.")
    consecutive_failures: int = Field(
        description="Delivery attempts that failed in a row since the last success. Read-only."
    )
    disabled_at: Moment | None = Field(
        default=None,
        description="When the server turned it off because its deliveries kept failing (for "
        "3 days by default, with no success); absent otherwise. An update with `active: true` "
        "revives it and sends what was queued meanwhile. Read-only.",
    )
    deleted_at: Moment | None = Field(
        default=None, description="In the answer to a delete only: when it was deleted."
    )


class Delivery(BaseModel):
    """One event sent (or to be sent) to one subscription."""

    id: str = Field(description="The delivery's id (a UUID).")
    event_delivery: str = Field(
        description="The same id, as the `event-delivery` header and body field carry it."
    )
    event: str = Field(description="The event delivered, e.g. `shopping_order_update` or `ping`.")
    event_id: str | None = Field(
        default=None,
        description="The id of the event (the same for every delivery of it, redeliveries "
        "included); null for a `ping`.",
    )
    status: DeliveryStatus = Field(
        description="`pending` (due at `next_attempt_at`), `delivered` (a 2xx answer), "
        "`failed` (retries ran out) or `cancelled` (its subscription was deleted)."
    )
    attempts: int = Field(description="How many times it has been sent.")
    created_at: Moment = Field(description="When it was queued (UTC).")
    next_attempt_at: Moment | None = Field(
        default=None, description="When it is sent next (UTC); null unless `pending`."
    )
    delivered_at: Moment | None = Field(
        default=None, description="When the receiver accepted it (UTC); null until then."
    )


class DeliveryAttempt(BaseModel):
    """One HTTP request of a delivery."""

    attempt: int = Field(description="1 for the first request, then 2, 3, …")
    started_at: Moment = Field(description="When the request was sent (UTC).")
    duration_ms: int = Field(description="How long it took, in milliseconds.")
    status_code: int | None = Field(
        default=None,
        description="The receiver's HTTP status; null when no answer came (see `error`).",
    )
    error: str | None = Field(
        default=None,
        description="Why the attempt failed (timeout, refused address, …); null on an answer.",
    )
    response_excerpt: str | None = Field(
        default=None, description="The start of the receiver's answer body, if any."
    )


class DeliveryDetail(Delivery):
    """A delivery with the log of its requests."""

    attempt_log: list[DeliveryAttempt] = Field(description="Every request, oldest first.")
