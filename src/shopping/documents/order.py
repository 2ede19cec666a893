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

    customer: Customer | None = None
    shipping_address: ContactAddress | None = None
    billing_address: ContactAddress | None = None
    metadata: JsonObject | None = None
    comment: Comment | None = None
    salesperson_id: Text | None = None
    salesperson_name: Text | None = None
    delivery_at: DateTime | None = None
    pickup_at: DateTime | None = None
    courier_id: Text | None = None
    pre_order: Flag | None = None
    time_to_live: TimeToLive | None = None
    itinerary: list[Itinerary] | None = None
    external_ids: list[ExternalId] | None = None
    external_links: list[ExternalLink] | None = None


class OrderObject(OrderDetails):
    """The cart a draft carries and the order it becomes; `currency` is required.

    Totals, `stores` and other computed fields that clients copy from a response are dropped
    on input, so they are recomputed rather than trusted or stored twice.
    """

    currency: CurrencyCode
    # absent means no items (and stays absent in the stored echo); `null` is not a list
    items: list[OrderItem] = Field(default_factory=list, max_length=MAX_ORDER_ITEMS)
    type: Text | None = None
    order_number: Text | None = None
    order_id: Id40 | None = None
    store: Store | None = None
    attachments: list[Attachment] | None = None

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        return without_keys(data, ORDER_READ_ONLY_FIELDS)
