"""Request bodies of the payment-operation endpoints (reference §3.11, §10.17–18)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from shopping.documents.base import DocumentModel, field_error
from shopping.documents.types import (
    Amount,
    CurrencyCode,
    DateTime,
    Flag,
    Id40,
    JsonObject,
    LineId,
    RatePpm,
    Text,
)

MAX_OPERATION_LINES = 1000


class OperationLine(DocumentModel):
    """One order line's share of the operation; exchange-rate fields mirror the item's."""

    line_id: LineId = Field(description="The order line (`items[].line_id` of the order)")
    amount: Amount = Field(
        description="The line's share, in minor units (e.g. øre); never zero, and with the "
        "sign of the line's net amount (negative on a reversal line)"
    )
    original_currency: CurrencyCode | None = Field(
        None, description="The currency the amount was converted from (ISO 4217)"
    )
    original_amount: Amount | None = Field(
        None, description="The amount in `original_currency`, in minor units"
    )
    conversion_rate_ppm: RatePpm | None = Field(
        None, description="The conversion rate in parts per million (1099000 = 1.099)"
    )
    conversion_rate_timestamp: DateTime | None = Field(
        None, description="When the conversion rate was fixed (ISO 8601 with time zone)"
    )
    conversion_rate_source: Text | None = Field(
        None, description="Where the conversion rate came from, e.g. `ecb`"
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_computed(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != "payout"}
        return data


class Card(DocumentModel):
    """The card the payment system charged, as it reported it."""

    masked_pan: Text | None = Field(None, description="The card number, masked: `411111******1111`")
    type: Text | None = Field(None, description="The card type, e.g. `credit` or `debit`")
    brand: Text | None = Field(None, description="The card brand, e.g. `Visa`")
    metadata: JsonObject | None = Field(None, description="Anything else the payment system said")


class PaymentDetails(DocumentModel):
    """How the payment system carried out the operation; stored as sent."""

    psp: Text | None = Field(None, description="The payment service provider, e.g. `bambora`")
    payment_id: Text | None = Field(None, description="The payment's id at the provider")
    payment_product: Text | None = Field(None, description="The payment product, e.g. `bambora`")
    payment_product_type: Text | None = Field(
        None, description="The payment product type, e.g. `bambora.creditcard`"
    )
    card: Card | None = Field(None, description="The card used, for card payments")


class OperationCreate(DocumentModel):
    """Body of POST /orders/{id}/{authorizations|captures|refunds|cancellations}.

    `amount` is read-only (Σ items); a client that sends it must send exactly that sum.
    """

    items: Annotated[
        list[OperationLine],
        Field(
            min_length=1,
            max_length=MAX_OPERATION_LINES,
            description="The order lines the operation covers, each at most once",
        ),
    ]
    processed_at: DateTime | None = Field(
        None, description="When the payment system carried out the operation"
    )
    processed_by: Text | None = Field(
        None, description="The payment system that carried it out, e.g. `dintero-checkout`"
    )
    payment_details: PaymentDetails | None = Field(
        None, description="How the payment system carried it out"
    )
    metadata: JsonObject | None = Field(None, description="The client's own data, stored as sent")
    success: Flag | None = Field(
        None,
        description="Whether the operation succeeded (default `true`); a failed one is kept "
        "for the record but counts for nothing in the ledger",
    )
    authorization_id: Id40 | None = Field(
        None,
        description="On an authorization: its id at the payment system (default: the "
        "operation's `id`). On a capture, refund or cancellation: the authorization it draws "
        "on; required when the order has `multiple_authorizations`",
    )
    amount: Amount | None = Field(
        None,
        description="Read-only: the sum of `items[].amount`, in minor units; when sent it "
        "must equal that sum",
    )

    @model_validator(mode="after")
    def _check_lines(self) -> OperationCreate:
        seen: set[int] = set()
        for position, line in enumerate(self.items):
            if line.amount == 0:
                raise field_error(
                    OperationCreate,
                    ("items", position, "amount"),
                    "value_error",
                    "An operation line amount must not be zero",
                    0,
                )
            if line.line_id in seen:
                raise field_error(
                    OperationCreate,
                    ("items", position, "line_id"),
                    "value_error",
                    "Each line_id may appear once per operation",
                    line.line_id,
                )
            seen.add(line.line_id)
        total = sum(line.amount for line in self.items)
        if self.amount is not None and self.amount != total:
            raise field_error(
                OperationCreate,
                ("amount",),
                "value_error",
                f"amount must equal the sum of the items ({total})",
                self.amount,
            )
        return self
