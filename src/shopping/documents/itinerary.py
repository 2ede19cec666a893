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

    id: Text | None = Field(None, description="The stop's id")
    name: Text | None = Field(None, description="The stop's name, e.g. `Oslo S`")
    external_ids: list[ExternalId] | None = Field(
        None, description="Ids of the stop in other systems"
    )


class Measure(DocumentModel):
    """A `{value}` wrapper, used for both `distance` and `duration`."""

    value: NonNegativeNumber | None = Field(
        None, description="The amount: metres for `distance`, seconds for `duration`"
    )


class Ticket(DocumentModel):
    """A ticket for a leg. `class` is a Python keyword, hence the `class_` attribute."""

    class_: Text | None = Field(
        default=None, alias="class", description="Travel class, e.g. `economy`"
    )
    line: Text | None = Field(None, description="The route line, e.g. `L1`")
    seat: Text | None = Field(None, description="The seat")
    zone: Text | None = Field(None, description="The fare zone")
    passenger_id: list[Text] | None = Field(
        None, description="Ids of the passengers the ticket is for"
    )


class Waypoint(DocumentModel):
    """A point the leg passes, with its scheduled times as given by the client."""

    display_name: Text | None = Field(None, description="The point's name")
    latitude: Number | None = Field(None, description="Latitude in decimal degrees")
    longitude: Number | None = Field(None, description="Longitude in decimal degrees")
    arrival_schedule_at: Text | None = Field(None, description="Scheduled arrival, as given")
    departure_schedule_at: Text | None = Field(None, description="Scheduled departure, as given")


class Itinerary(DocumentModel):
    """One leg of travel; `line_ids` name the order items it covers."""

    id: Text | None = Field(None, description="The leg's id")
    operator: Text | None = Field(None, description="The transport operator")
    arrival_address: ItineraryAddress | None = Field(None, description="Where the leg ends")
    arrival_at: Text | None = Field(None, description="Arrival time, as given (free text)")
    departure_address: ItineraryAddress | None = Field(None, description="Where the leg starts")
    departure_at: Text | None = Field(None, description="Departure time, as given (free text)")
    travel_mode: TravelMode | None = Field(None, description="How the leg is travelled")
    route_id: Text | None = Field(None, description="The route's id")
    vehicle_id: Text | None = Field(None, description="The vehicle's id")
    summary: Text | None = Field(None, description="A short description of the leg")
    distance: Measure | None = Field(None, description="Length of the leg")
    duration: Measure | None = Field(None, description="Duration of the leg")
    tickets: list[Ticket] | None = Field(None, description="Tickets for the leg")
    line_ids: list[LineId] | None = Field(
        None, description="`line_id`s of the order items the leg covers"
    )
    waypoints: list[Waypoint] | None = Field(None, description="Points the leg passes")
