"""The order object a client writes: `draft.order` (spec §3.3).

`OrderDetails` holds the order-level fields that can be written both when the order is built
through a draft and later through `PUT /orders/{order_id}` (§3.9), so the two bodies cannot
drift apart.
"""

from typing import Any

from pydantic import Field, model_validator

from .attachments import Attachment
from .base import DocumentModel, without_keys
from .common import ExternalId, ExternalLink, Store
from .customer import ContactAddress, Customer
from .items import OrderItem
from .itinerary import Itinerary
from .types import Comment, CurrencyCode, DateTime, Flag, Id40, JsonObject, Text, TimeToLive

MAX_ORDER_ITEMS = 1000

ORDER_READ_ONLY_FIELDS: frozenset[str] = frozenset(
    {
        "gross_amount",
        "net_amount",
        "total_discount",
        "total_manual_discount_amount",
        "discounts",
        "stores",
        "version",
        "time_to_live_expires_at",
        "multiple_authorizations",
    }
)
"""Server-computed order fields: ignored when a client echoes them back."""


class OrderDetails(DocumentModel):
    """Order-level fields writable on a draft and through an order update."""

    customer: Customer | None = Field(None, description="The buyer")
    shipping_address: ContactAddress | None = Field(None, description="Where to deliver")
    billing_address: ContactAddress | None = Field(None, description="Who is billed")
    metadata: JsonObject | None = Field(None, description="The merchant's own key/values")
    comment: Comment | None = Field(
        None, description="A note on the order (at most 255 characters)"
    )
    salesperson_id: Text | None = Field(None, description="Id of the salesperson")
    salesperson_name: Text | None = Field(None, description="Name of the salesperson")
    delivery_at: DateTime | None = Field(
        None, description="When to deliver (date-time); absent: as soon as possible"
    )
    pickup_at: DateTime | None = Field(
        None, description="When the courier picks the order up (date-time)"
    )
    courier_id: Text | None = Field(None, description="Id of the courier")
    pre_order: Flag | None = Field(
        None, description="The customer asked for later delivery (see `delivery_at`)"
    )
    time_to_live: TimeToLive | None = Field(
        None,
        description="Seconds (at least 86400) the order lives after its last change; then it "
        "is emptied and its drafts deleted",
    )
    itinerary: list[Itinerary] | None = Field(None, description="Travel legs of the order")
    external_ids: list[ExternalId] | None = Field(
        None, description="Ids of the order in other systems"
    )
    external_links: list[ExternalLink] | None = Field(
        None, description="Links shown with the order, e.g. a receipt"
    )


class OrderObject(OrderDetails):
    """The cart a draft carries and the order it becomes; `currency` is required.

    Totals, `stores` and other computed fields that clients copy from a response are dropped
    on input, so they are recomputed rather than trusted or stored twice.
    """

    currency: CurrencyCode = Field(description="ISO 4217 currency of every amount, e.g. `NOK`")
    # absent means no items (and stays absent in the stored echo); `null` is not a list
    items: list[OrderItem] = Field(
        default_factory=list,
        max_length=MAX_ORDER_ITEMS,
        description=f"The order lines (at most {MAX_ORDER_ITEMS})",
    )
    type: Text | None = Field(None, description="Kind of order, e.g. `delivery`")
    order_number: Text | None = Field(
        None, description="The merchant's order number, e.g. `order123456`"
    )
    order_id: Id40 | None = Field(
        None,
        description="A custom business id for the order (at most 40 characters; used once per "
        "account, and only with `split_draft` false); generated when absent",
    )
    store: Store | None = Field(None, description="The order's sales location")
    attachments: list[Attachment] | None = Field(
        None, description="Travel reservations for the order"
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        return without_keys(data, ORDER_READ_ONLY_FIELDS)
