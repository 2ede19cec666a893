"""Travel itineraries attached to an order (spec §3.10, `order.itinerary[]`).

Unlike the attachment reservations, the itinerary's `*_at` fields are documented as plain
strings (Dintero's samples hold `"string"`), so they are not parsed as date-times.
"""

from enum import StrEnum

from pydantic import Field

from .base import DocumentModel
from .common import ExternalId
from .customer import Address
from .types import LineId, NonNegativeNumber, Number, Text


class TravelMode(StrEnum):
    """How a leg is travelled (also an order-list filter)."""

    BUS = "BUS"
    CAR = "CAR"
    FERRY = "FERRY"
    METRO = "METRO"
    TAXI = "TAXI"
    TRAIN = "TRAIN"
    TRAM = "TRAM"
    WALK = "WALK"
    WAIT = "WAIT"
    CUSTOM = "CUSTOM"


class ItineraryAddress(Address):
    """A named stop; every field optional, with ids in other systems."""

    id: Text | None = None
    name: Text | None = None
    external_ids: list[ExternalId] | None = None


class Measure(DocumentModel):
    """A `{value}` wrapper, used for both `distance` and `duration`."""

    value: NonNegativeNumber | None = None


class Ticket(DocumentModel):
    """A ticket for a leg. `class` is a Python keyword, hence the `class_` attribute."""

    class_: Text | None = Field(default=None, alias="class")
    line: Text | None = None
    seat: Text | None = None
    zone: Text | None = None
    passenger_id: list[Text] | None = None


class Waypoint(DocumentModel):
    """A point the leg passes, with its scheduled times as given by the client."""

    display_name: Text | None = None
    latitude: Number | None = None
    longitude: Number | None = None
    arrival_schedule_at: Text | None = None
    departure_schedule_at: Text | None = None


class Itinerary(DocumentModel):
    """One leg of travel; `line_ids` name the order items it covers."""

    id: Text | None = None
    operator: Text | None = None
    arrival_address: ItineraryAddress | None = None
    arrival_at: Text | None = None
    departure_address: ItineraryAddress | None = None
    departure_at: Text | None = None
    travel_mode: TravelMode | None = None
    route_id: Text | None = None
    vehicle_id: Text | None = None
    summary: Text | None = None
    distance: Measure | None = None
    duration: Measure | None = None
    tickets: list[Ticket] | None = None
    line_ids: list[LineId] | None = None
    waypoints: list[Waypoint] | None = None
