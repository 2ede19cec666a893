"""What the payment-operation endpoints answer: one recorded operation, or an order's list of
one kind (reference §3.11). Every operation is written by the server from a client's record,
so the fields it adds are always present; what the client sent is echoed as stored, unknown
fields included."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shopping.payment_operations.schemas import OperationLine, PaymentDetails


class PayoutShare(BaseModel):
    """What one payee receives of an operation line."""

    destination: str = Field(description="The payee (the payout rule's destination)")
    amount: int = Field(description="The payee's share, in minor units")


class OperationLinePayout(BaseModel):
    """An operation line's split among payees: the line's payout rule applied to the line's
    amount, one entry per payee."""

    rule_id: str | None = Field(None, description="The payout rule applied")
    rule_type: str | None = Field(None, description="The payout rule's type")
    destinations: list[PayoutShare] = Field(description="Each payee's share of the line")


class PaymentOperationLine(OperationLine):
    """One order line's share of a recorded operation."""

    payout: OperationLinePayout | None = Field(
        None,
        description="Read-only: how the amount is split among payees; only on lines that "
        "have a payout rule",
    )


class OperationLink(BaseModel):
    """The operation's own address."""

    href: str = Field(description="The operation's URL")
    rel: str = Field(
        description="The operation's kind: `authorization`, `capture`, `refund` or `cancellation`"
    )


class PaymentOperation(BaseModel):
    """An authorization, capture, refund or cancellation recorded on an order."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Read-only: the operation's id (UUID), set by the server")
    created_at: datetime = Field(description="Read-only: when it was recorded (UTC)")
    created_by: str = Field(description="Read-only: the API client that recorded it")
    amount: int = Field(description="Read-only: the sum of `items[].amount`, in minor units")
    success: bool = Field(
        description="Whether the operation succeeded; a failed one counts for nothing"
    )
    items: list[PaymentOperationLine] = Field(description="The order lines it covers")
    authorization_id: str | None = Field(
        None,
        description="On an authorization, always: its id at the payment system (the "
        "operation's `id` unless one was sent). On the other kinds: the authorization it "
        "draws on, when one was named",
    )
    processed_at: datetime | None = Field(
        None, description="When the payment system carried it out, as sent"
    )
    processed_by: str | None = Field(
        None, description="The payment system that carried it out, as sent"
    )
    payment_details: PaymentDetails | None = Field(
        None, description="How the payment system carried it out, as sent"
    )
    metadata: dict[str, Any] | None = Field(None, description="The client's own data, as sent")
    links: list[OperationLink] = Field(
        alias="_links", description="Read-only: the operation's own URL"
    )


class AuthorizationList(BaseModel):
    authorizations: list[PaymentOperation] = Field(
        description="The order's authorizations, oldest first, failed ones included"
    )


class CaptureList(BaseModel):
    captures: list[PaymentOperation] = Field(
        description="The order's captures, oldest first, failed ones included"
    )


class RefundList(BaseModel):
    refunds: list[PaymentOperation] = Field(
        description="The order's refunds, oldest first, failed ones included"
    )


class CancellationList(BaseModel):
    cancellations: list[PaymentOperation] = Field(
        description="The order's cancellations, oldest first, failed ones included"
    )
