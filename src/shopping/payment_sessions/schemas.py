"""The body of `POST /orders/{order_id}/sessions` (reference §3.12)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from shopping.documents.base import DocumentModel, field_error
from shopping.documents.types import Amount, DateTime, JsonObject, LineId, Text

Url = Annotated[str, Field(min_length=1, max_length=2048, strict=True)]


class PaymentSessionLine(DocumentModel):
    """What the session asks the customer to pay for one order line."""

    line_id: LineId = Field(description="The order line (`items[].line_id` of the order)")
    amount: Amount = Field(
        description="The amount to pay for the line, in minor units; with the sign of the "
        "line's net amount and at most what is not yet captured of it"
    )


class PaymentSessionUrls(DocumentModel):
    """The client's own addresses for the checkout."""

    return_url: Url = Field(description="Where the customer is sent when the checkout ends")
    callback_url: Url | None = Field(
        None, description="Called server-to-server when the payment is done"
    )
    merchant_terms_url: Url | None = Field(
        None, description="The merchant's terms, linked from the checkout page"
    )


class PaymentSessionCreate(DocumentModel):
    """Body of POST /orders/{order_id}/sessions; Checkout's own objects (`express`,
    `shipping_option`) are stored as sent."""

    items: Annotated[
        list[PaymentSessionLine],
        Field(
            min_length=1,
            max_length=1000,
            description="The order lines to pay for, each at most once",
        ),
    ]
    url: PaymentSessionUrls = Field(description="The client's addresses for the checkout")
    profile_id: Annotated[str, Field(min_length=1, max_length=255, strict=True)] = Field(
        description="The Checkout configuration profile to use"
    )
    processed_at: DateTime | None = Field(None, description="When the session was started")
    metadata: JsonObject | None = Field(
        None, description="The client's own data, stored as sent and passed on to Checkout"
    )
    express: JsonObject | None = Field(
        None,
        description="Express Checkout settings (`shipping_options`, `shipping_mode`, "
        "`discount_codes`, `customer_types`), stored as sent",
    )
    merchant_reference: Text | None = Field(
        None, description="The client's reference for the session, stored as sent"
    )
    shipping_option: JsonObject | None = Field(
        None, description="A Checkout shipping option chosen in advance, stored as sent"
    )

    @model_validator(mode="after")
    def _unique_lines(self) -> PaymentSessionCreate:
        seen: set[int] = set()
        for position, line in enumerate(self.items):
            if line.line_id in seen:
                raise field_error(
                    PaymentSessionCreate,
                    ("items", position, "line_id"),
                    "value_error",
                    "Each line_id may appear once per session",
                    line.line_id,
                )
            seen.add(line.line_id)
        return self
