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
    id: ShortText | None = None
    line_id: ShortText
    description: Annotated[str, Field(strict=True, max_length=1000)] | None = None
    quantity: Annotated[float, Field(ge=0)] | None = None
    amount: PositiveAmount
    vat_amount: PositiveAmount | None = None
    vat: Annotated[float, Field(ge=0, le=100)] | None = None


class CheckoutOrder(DocumentModel):
    amount: PositiveAmount
    currency: CurrencyCode
    merchant_reference: ShortText
    merchant_reference_2: ShortText | None = None
    vat_amount: PositiveAmount | None = None
    items: Annotated[list[CheckoutItem], Field(max_length=1000)] | None = None
    shipping_option: JsonObject | None = None

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
    return_url: UrlText
    callback_url: UrlText | None = None
    merchant_terms_url: UrlText | None = None

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
    auto_capture: Flag | None = None


class SessionCustomer(DocumentModel):
    customer_id: ShortText | None = None
    email: ShortText | None = None
    phone_number: ShortText | None = None


class SessionCreate(DocumentModel):
    """Body of `POST /sessions-profile`."""

    profile_id: ShortText
    url: SessionUrl
    order: CheckoutOrder
    customer: SessionCustomer | None = None
    expires_at: DateTime | None = None
    configuration: SessionConfiguration | None = None
    metadata: JsonObject | None = None


class OperationItem(DocumentModel):
    line_id: ShortText
    amount: OperationAmount


class OperationItems(DocumentModel):
    amount: OperationAmount
    items: Annotated[list[OperationItem], Field(min_length=1, max_length=1000)] | None = None

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
    capture_reference: ShortText | None = None


class RefundCreate(OperationItems):
    reason: Annotated[str, Field(strict=True, max_length=1000)] | None = None
    refund_reference: ShortText | None = None
