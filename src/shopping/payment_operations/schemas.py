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

    line_id: LineId
    amount: Amount
    original_currency: CurrencyCode | None = None
    original_amount: Amount | None = None
    conversion_rate_ppm: RatePpm | None = None
    conversion_rate_timestamp: DateTime | None = None
    conversion_rate_source: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _ignore_computed(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != "payout"}
        return data


class Card(DocumentModel):
    masked_pan: Text | None = None
    type: Text | None = None
    brand: Text | None = None
    metadata: JsonObject | None = None


class PaymentDetails(DocumentModel):
    psp: Text | None = None
    payment_id: Text | None = None
    payment_product: Text | None = None
    payment_product_type: Text | None = None
    card: Card | None = None


class OperationCreate(DocumentModel):
    """Body of POST /orders/{id}/{authorizations|captures|refunds|cancellations}.

    `amount` is read-only (Σ items); a client that sends it must send exactly that sum.
    """

    items: Annotated[list[OperationLine], Field(min_length=1, max_length=MAX_OPERATION_LINES)]
    processed_at: DateTime | None = None
    processed_by: Text | None = None
    payment_details: PaymentDetails | None = None
    metadata: JsonObject | None = None
    success: Flag | None = None
    authorization_id: Id40 | None = None
    amount: Amount | None = None

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
