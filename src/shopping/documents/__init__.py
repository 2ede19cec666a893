"""Input models of the Dintero order document: drafts' `order` and `options`, order updates.

Validate a client body with e.g. `OrderObject.model_validate(body)` and store
`model.to_document()` (= `model_dump(mode="json", by_alias=True, exclude_unset=True)`): known
fields are checked strictly, unknown ones are kept verbatim, read-only ones are dropped, and
nothing the client did not send is added. `documents.computed` describes the same documents as
responses show them, with the fields the server computes.
"""

from .attachments import (
    Attachment,
    CarRental,
    CarReservation,
    Insurance,
    Passenger,
    Reservation,
    ReservationLeg,
)
from .base import DocumentModel
from .common import ExternalId, ExternalLink, Group, ItemStore, Link, Store
from .customer import (
    Address,
    Company,
    Consent,
    ContactAddress,
    Customer,
    CustomerAddress,
    EnrolledBy,
    MarketingConsent,
    Term,
)
from .items import (
    DISCOUNTS_EXCEED_GROSS,
    ITEM_READ_ONLY_FIELDS,
    Addition,
    Dimension,
    DiscountLine,
    DiscountType,
    DynamicPayout,
    ExchangeRateFields,
    OrderItem,
    RelatedItem,
    TaxLine,
    discounts_fit,
)
from .itinerary import Itinerary, ItineraryAddress, Measure, Ticket, TravelMode, Waypoint
from .options import DraftOptions, GenerateOrderId, PayoutOptions, ReplaceMode
from .order import MAX_ORDER_ITEMS, ORDER_READ_ONLY_FIELDS, OrderDetails, OrderObject
from .order_update import OrderItemUpdate, OrderUpdate
from .payout_rules import MAX_DESTINATION_DEPTH, Destination, DestinationType, PayoutRule

__all__ = [
    "DISCOUNTS_EXCEED_GROSS",
    "ITEM_READ_ONLY_FIELDS",
    "MAX_DESTINATION_DEPTH",
    "MAX_ORDER_ITEMS",
    "ORDER_READ_ONLY_FIELDS",
    "Addition",
    "Address",
    "Attachment",
    "CarRental",
    "CarReservation",
    "Company",
    "Consent",
    "ContactAddress",
    "Customer",
    "CustomerAddress",
    "Destination",
    "DestinationType",
    "Dimension",
    "DiscountLine",
    "DiscountType",
    "DocumentModel",
    "DraftOptions",
    "DynamicPayout",
    "EnrolledBy",
    "ExchangeRateFields",
    "ExternalId",
    "ExternalLink",
    "GenerateOrderId",
    "Group",
    "Insurance",
    "ItemStore",
    "Itinerary",
    "ItineraryAddress",
    "Link",
    "MarketingConsent",
    "Measure",
    "OrderDetails",
    "OrderItem",
    "OrderItemUpdate",
    "OrderObject",
    "OrderUpdate",
    "Passenger",
    "PayoutOptions",
    "PayoutRule",
    "RelatedItem",
    "ReplaceMode",
    "Reservation",
    "ReservationLeg",
    "Store",
    "TaxLine",
    "Term",
    "Ticket",
    "TravelMode",
    "Waypoint",
    "discounts_fit",
]
