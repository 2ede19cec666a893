"""What the Checkout API answers: sessions, transactions, callback logs and the signature
secret, as the OpenAPI document describes them (the handlers build the JSON; these models only
document it). A session shows its order as it was given, so these models check shapes, not
the limits a new session's body must keep."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from shopping.documents.types import Moment

TransactionStatus = Literal[
    "INITIATED",
    "AUTHORIZED",
    "AUTHORIZATION_VOIDED",
    "CAPTURED",
    "PARTIALLY_CAPTURED",
    "PARTIALLY_CAPTURED_REFUNDED",
    "REFUNDED",
    "PARTIALLY_REFUNDED",
    "DECLINED",
    "FAILED",
    "UNKNOWN",
    "ON_HOLD",
]


class CheckoutLine(BaseModel):
    """An order line of a session or transaction."""

    id: str | None = Field(default=None, description="The product's id in the shop.")
    line_id: str = Field(description="The line's id, unique in the order.")
    description: str | None = Field(default=None, description="What the customer sees.")
    quantity: float | None = Field(default=None, description="How many units the line holds.")
    amount: int = Field(description="The line's total including VAT, in minor units.")
    vat_amount: int | None = Field(default=None, description="The VAT in `amount`, minor units.")
    vat: float | None = Field(default=None, description="The VAT rate in percent.")


class CheckoutSessionOrder(BaseModel):
    """The session's order, as it was given."""

    amount: int = Field(description="The amount to pay, in minor units.")
    currency: str = Field(description="The ISO 4217 currency code, e.g. NOK.")
    merchant_reference: str = Field(description="The shop's reference for the order.")
    merchant_reference_2: str | None = Field(
        default=None, description="A second reference of the shop's."
    )
    vat_amount: int | None = Field(default=None, description="The VAT in `amount`, minor units.")
    items: list[CheckoutLine] | None = Field(default=None, description="The order lines.")
    shipping_option: dict[str, Any] | None = Field(
        default=None, description="The chosen shipping; its `amount` counts towards `amount`."
    )


class CheckoutSessionUrls(BaseModel):
    """The session's URLs, as they were given."""

    return_url: str = Field(description="Where the browser goes when the payment is over.")
    callback_url: str | None = Field(
        default=None, description="Called server-to-server when the payment is done."
    )
    merchant_terms_url: str | None = Field(default=None, description="The shop's terms.")


class CheckoutSessionEvent(BaseModel):
    """Something that happened to a session."""

    id: str = Field(description="The event's id (a UUID).")
    name: str = Field(
        description="`INITIATED` (created), `AUTHORIZED`, `DECLINED`, `FAILED`, `COMPLETED` "
        "(paid, on hold) or `CANCELLED`."
    )
    created_at: Moment = Field(description="When it happened (UTC).")
    details: dict[str, Any] | None = Field(
        default=None,
        description="For a payment: `payment_product_type` and the `transaction_status` it led to.",
    )


class CheckoutSession(BaseModel):
    """A checkout session: the payment page's order and what happened to it. It has no
    status field: `transaction_id` (paid), `cancelled_at` and `expires_at` tell its state."""

    id: str = Field(
        description="The session's id: the account id, a dot and a random part. Read-only."
    )
    profile_id: str = Field(description="The payment profile it uses.")
    url: CheckoutSessionUrls = Field(description="The return and callback URLs.")
    order: CheckoutSessionOrder = Field(description="What the customer pays for.")
    customer: dict[str, Any] | None = Field(
        default=None,
        description="The customer as given: `customer_id`, `email`, `phone_number`.",
    )
    configuration: dict[str, Any] | None = Field(
        default=None, description="The profile overrides as given, e.g. `auto_capture`."
    )
    metadata: dict[str, Any] = Field(
        description="The shop's metadata plus `session:profile_id`, set by the server."
    )
    created_at: Moment = Field(description="When it was created (UTC). Read-only.")
    updated_at: Moment = Field(description="When it last changed (UTC). Read-only.")
    expires_at: Moment = Field(description="When the page stops accepting payment (UTC).")
    events: list[CheckoutSessionEvent] = Field(
        description="What happened to it, oldest first. Read-only."
    )
    transaction_id: str | None = Field(
        default=None, description="Its transaction, once the customer has paid. Read-only."
    )
    cancelled_at: Moment | None = Field(
        default=None, description="When it was cancelled (UTC), if it was. Read-only."
    )
    cancelled_by: str | None = Field(
        default=None,
        description="Who cancelled it: the API client's id, or `customer` on the page.",
    )


class CheckoutSessionCreated(BaseModel):
    """The answer to creating a session: where to send the customer."""

    id: str = Field(description="The session's id.")
    url: str = Field(description="The hosted payment page: `…/v1/view/{session_id}`.")
    session: CheckoutSession | None = Field(
        default=None, description="The whole session, with `include_session=true` only."
    )


class TransactionLine(BaseModel):
    """How much of one order line an operation took."""

    line_id: str = Field(description="The item's `line_id`.")
    amount: int = Field(description="The amount, in minor units.")


class TransactionError(BaseModel):
    """Why an authorization failed."""

    message: str = Field(description="What went wrong, for people.")


class TransactionEvent(BaseModel):
    """One step of a transaction: its authorization, a capture, a refund or a void."""

    id: str = Field(description="The event's id (a UUID).")
    event: Literal["AUTHORIZE", "CAPTURE", "REFUND", "VOID"] = Field(description="What was done.")
    transaction_status: str = Field(description="The transaction's status after it.")
    success: bool = Field(description="Whether it succeeded.")
    amount: int = Field(description="The amount it concerned, in minor units.")
    created_at: Moment = Field(description="When it happened (UTC).")
    created_by: str = Field(
        description="Who did it: the API client's id, or `dintero-checkout` for the page."
    )
    items: list[TransactionLine] | None = Field(
        default=None, description="Per order line, what it took; absent without items."
    )
    error: TransactionError | None = Field(
        default=None, description="For a failed authorization: why."
    )
    capture_reference: str | None = Field(
        default=None, description="The shop's reference, on a capture that gave one."
    )
    refund_reference: str | None = Field(
        default=None, description="The shop's reference, on a refund that gave one."
    )
    reason: str | None = Field(default=None, description="On a refund that gave one: why.")


class TransactionCard(BaseModel):
    """The card that paid."""

    brand: str = Field(description="The card scheme: `Visa`, `MasterCard` or `Unknown`.")
    masked_pan: str = Field(description="The card number with the middle digits hidden.")
    type: str = Field(description="`Credit`.")
    authentication_status: str = Field(
        description="The 3-D Secure outcome: `Y` (verified) or `N` (failed)."
    )


class TransactionUrls(BaseModel):
    """The session's URLs, as the transaction keeps them."""

    redirect_url: str = Field(description="The session's `return_url`.")
    callback_url: str | None = Field(default=None, description="The session's `callback_url`.")


class Transaction(BaseModel):
    """A payment: authorized on the page, then captured, refunded or voided through the API."""

    id: str = Field(
        description="The transaction's id: the account id, a dot and a random part. Read-only."
    )
    session_id: str = Field(description="The session it was paid in.")
    created_at: Moment = Field(description="When the customer paid (UTC). Read-only.")
    updated_at: Moment = Field(description="When it last changed (UTC). Read-only.")
    merchant_reference: str = Field(description="The session order's `merchant_reference`.")
    merchant_reference_2: str | None = Field(
        default=None, description="The session order's `merchant_reference_2`, if given."
    )
    amount: int = Field(description="The authorized amount, in minor units.")
    currency: str = Field(description="The ISO 4217 currency code.")
    status: TransactionStatus = Field(
        description="Where the money stands; captures, refunds and voids move it on."
    )
    payment_product: str = Field(description="Who processed it: `dintero_psp`.")
    payment_product_type: str = Field(description="How it was paid: `dintero_psp.creditcard`.")
    channel: str = Field(description="`ecommerce`.")
    metadata: dict[str, Any] = Field(description="The session's metadata.")
    url: TransactionUrls = Field(description="The session's return and callback URLs.")
    items: list[CheckoutLine] | None = Field(
        default=None, description="The session order's lines, if it had any."
    )
    customer: dict[str, Any] | None = Field(
        default=None, description="The session's customer, if given."
    )
    card: TransactionCard | None = Field(default=None, description="The card that paid.")
    events: list[TransactionEvent] = Field(description="Every step, oldest first.")


class CallbackAttempt(BaseModel):
    """One call of a `callback_url`."""

    attempt: int = Field(description="1 for the first call, then 2, 3, …")
    started_at: Moment = Field(description="When the call was made (UTC).")
    duration_ms: int = Field(description="How long it took, in milliseconds.")
    status_code: int | None = Field(
        default=None, description="The shop's HTTP status; null when no answer came."
    )
    error: str | None = Field(
        default=None, description="Why the call failed (timeout, refused address, …)."
    )


class Callback(BaseModel):
    """One callback of a session and its calls."""

    id: str = Field(description="The callback's id, sent as the `event-delivery` header.")
    status: Literal["pending", "delivered", "failed"] = Field(
        description="`pending` (due at `next_attempt_at`), `delivered` (a 2xx answer) or "
        "`failed` (a 3xx/4xx answer, or retries ran out)."
    )
    method: Literal["GET", "POST"] = Field(description="How `url` is called.")
    url: str = Field(
        description="The `callback_url` with `transaction_id`, `session_id`, "
        "`merchant_reference`, `time` and, on a failure, `error` added."
    )
    created_at: Moment = Field(description="When it was queued (UTC).")
    next_attempt_at: Moment | None = Field(
        default=None, description="When it is called next (UTC); null unless `pending`."
    )
    delivered_at: Moment | None = Field(
        default=None, description="When the shop accepted it (UTC); null until then."
    )
    attempts: list[CallbackAttempt] = Field(description="Every call, oldest first.")


class CallbackLog(BaseModel):
    """A session's callbacks."""

    callbacks: list[Callback] = Field(description="Oldest first; empty without `callback_url`.")


class SignatureKey(BaseModel):
    """The key callbacks are signed with."""

    type: Literal["v0-hmac-sha256"] = Field(description="The signing scheme.")
    secret: str = Field(description="The HMAC-SHA256 key (64 hex digits). Keep it secret.")


class SignatureSecret(BaseModel):
    """The account's callback-signing secret."""

    id: str = Field(description="The secret's id (a UUID).")
    created_at: Moment = Field(description="When it was created (UTC).")
    created_by: str = Field(description="The API client that created it.")
    signature: SignatureKey = Field(description="The scheme and the key.")
