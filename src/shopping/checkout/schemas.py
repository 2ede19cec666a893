"""Request bodies of the Checkout API, with Dintero's field names. Unknown fields are kept
and echoed, as in the order documents."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from shopping.documents.base import DocumentModel, field_error
from shopping.documents.types import CurrencyCode, DateTime, Flag, JsonObject

MAX_AMOUNT = 10**15
PositiveAmount = Annotated[int, Field(strict=True, ge=0, le=MAX_AMOUNT)]
OperationAmount = Annotated[int, Field(strict=True, ge=1, le=MAX_AMOUNT)]
ShortText = Annotated[str, Field(strict=True, min_length=1, max_length=255)]
UrlText = Annotated[str, Field(strict=True, min_length=1, max_length=2048)]


class CheckoutItem(DocumentModel):
    """An order line of a checkout session."""

    id: ShortText | None = Field(default=None, description="The product's id in the shop.")
    line_id: ShortText = Field(
        description="The line's id, unique in the order; captures and refunds name lines by it."
    )
    description: Annotated[str, Field(strict=True, max_length=1000)] | None = Field(
        default=None, description="What the customer sees on the payment page."
    )
    quantity: Annotated[float, Field(ge=0)] | None = Field(
        default=None, description="How many units the line holds."
    )
    amount: PositiveAmount = Field(
        description="The line's total including VAT and discounts, in minor units "
        "(299.90 NOK is 29990)."
    )
    vat_amount: PositiveAmount | None = Field(
        default=None, description="The VAT included in `amount`, in minor units."
    )
    vat: Annotated[float, Field(ge=0, le=100)] | None = Field(
        default=None, description="The VAT rate in percent, e.g. 25."
    )


class CheckoutOrder(DocumentModel):
    """What the customer pays for."""

    amount: PositiveAmount = Field(
        description="The amount to pay, in minor units; with `items` it must equal their "
        "sum plus `shipping_option.amount`."
    )
    currency: CurrencyCode = Field(description="The ISO 4217 currency code, e.g. NOK.")
    merchant_reference: ShortText = Field(
        description="The shop's reference for the order; carried by the transaction and "
        "added to the return and callback URLs."
    )
    merchant_reference_2: ShortText | None = Field(
        default=None, description="A second reference of the shop's, kept on the transaction."
    )
    vat_amount: PositiveAmount | None = Field(
        default=None, description="The VAT included in `amount`, in minor units."
    )
    items: Annotated[list[CheckoutItem], Field(max_length=1000)] | None = Field(
        default=None,
        description="The order lines (at most 1000, each `line_id` once). Without items the "
        "transaction's ledger has a single line for the whole amount.",
    )
    shipping_option: JsonObject | None = Field(
        default=None,
        description="The chosen shipping, as Dintero's shipping option object; its `amount` "
        "(minor units) counts towards `amount`.",
    )

    @model_validator(mode="after")
    def _items_make_the_amount(self) -> CheckoutOrder:
        """The ledger of the transaction is kept per item, so the items (and shipping) must
        add up to the amount (Dintero's `strict-session-amounts`, always on here)."""
        if not self.items:
            return self
        seen: set[str] = set()
        for position, item in enumerate(self.items):
            if item.line_id in seen:
                raise field_error(
                    CheckoutOrder,
                    ("items", position, "line_id"),
                    "value_error",
                    "Each line_id may appear once per order",
                    item.line_id,
                )
            seen.add(item.line_id)
        total = sum(item.amount for item in self.items)
        if self.shipping_option is not None:
            shipping = self.shipping_option.get("amount", 0)
            total += shipping if isinstance(shipping, int) else 0
        if total != self.amount:
            raise field_error(
                CheckoutOrder,
                ("amount",),
                "value_error",
                f"amount must equal the sum of the items and shipping ({total})",
                self.amount,
            )
        return self


class SessionUrl(DocumentModel):
    """Where the customer and the shop's server are sent."""

    return_url: UrlText = Field(
        description="Where the browser goes when the payment is done, cancelled or failed, "
        "with `merchant_reference`, `session_id` and `transaction_id` or `error` added to the "
        "query. An absolute http(s) URL."
    )
    callback_url: UrlText | None = Field(
        default=None,
        description="Called server-to-server when the payment is done (GET by default; "
        "`method=POST` in the query sends the transaction as body). `report_error=true` also "
        "reports failures, `delay_callback=<s>` (at most 60) delays it, `sid_parameter_name` "
        "renames `session_id`. Signed with `Dintero-Signature` once the account has a "
        "signature secret. An absolute http(s) URL.",
    )
    merchant_terms_url: UrlText | None = Field(
        default=None, description="The shop's terms, linked from the payment page."
    )

    @field_validator("return_url", "callback_url", "merchant_terms_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        """The browser is sent to these and the server calls them: http(s) URLs only."""
        if value is not None and not is_web_url(value):
            raise ValueError("must be an absolute http:// or https:// URL")
        return value


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class SessionConfiguration(DocumentModel):
    """Settings of this session that override the payment profile's."""

    auto_capture: Flag | None = Field(
        default=None, description="Capture the whole amount as soon as it is authorized."
    )


class SessionCustomer(DocumentModel):
    """Who pays, as the shop knows them."""

    customer_id: ShortText | None = Field(
        default=None, description="The shop's id of the customer; transactions can be listed by it."
    )
    email: ShortText | None = Field(default=None, description="The customer's e-mail address.")
    phone_number: ShortText | None = Field(
        default=None, description="The customer's phone number, e.g. +4799999999."
    )


class CheckoutSessionCreate(DocumentModel):
    """Body of `POST /sessions-profile`."""

    profile_id: ShortText = Field(
        description="The payment profile whose settings the session uses, e.g. `default`."
    )
    url: SessionUrl = Field(description="The return URL and, optionally, the callback URL.")
    order: CheckoutOrder = Field(description="The amount, currency, reference and lines to pay.")
    customer: SessionCustomer | None = Field(default=None, description="The customer, if known.")
    expires_at: DateTime | None = Field(
        default=None,
        description="When the payment page stops accepting payment (RFC 3339, in the "
        "future); 24 hours after creation by default.",
    )
    configuration: SessionConfiguration | None = Field(
        default=None, description="Overrides of the payment profile, e.g. `auto_capture`."
    )
    metadata: JsonObject | None = Field(
        default=None,
        description="The shop's own keys and values, copied to the transaction; the server "
        "adds `session:profile_id`.",
    )


class OperationItem(DocumentModel):
    """The part of one order line a capture or refund takes."""

    line_id: ShortText = Field(description="The `line_id` of one of the transaction's items.")
    amount: OperationAmount = Field(description="How much of the line, in minor units.")


class OperationItems(DocumentModel):
    amount: OperationAmount = Field(
        description="How much to capture or refund, in minor units; with `items` it must "
        "equal their sum."
    )
    items: Annotated[list[OperationItem], Field(min_length=1, max_length=1000)] | None = Field(
        default=None,
        description="The lines and amounts it covers; without them `amount` is spread over "
        "the lines in proportion to what each has left.",
    )

    @model_validator(mode="after")
    def _items_make_the_amount(self) -> OperationItems:
        if self.items is None:
            return self
        total = sum(item.amount for item in self.items)
        if total != self.amount:
            raise field_error(
                type(self),
                ("amount",),
                "value_error",
                f"amount must equal the sum of the items ({total})",
                self.amount,
            )
        return self


class CaptureCreate(OperationItems):
    """Body of `POST /transactions/{id}/capture`."""

    capture_reference: ShortText | None = Field(
        default=None, description="The shop's reference for the capture, kept on its event."
    )


class RefundCreate(OperationItems):
    """Body of `POST /transactions/{id}/refund`."""

    reason: Annotated[str, Field(strict=True, max_length=1000)] | None = Field(
        default=None, description="Why the money is returned, kept on the refund's event."
    )
    refund_reference: ShortText | None = Field(
        default=None, description="The shop's reference for the refund, kept on its event."
    )
