"""Reservation details attached to an order (spec §3.10, `order.attachments[]`).

Bus, ferry, metro, taxi, train and tram reservations share one shape; a car rental has its
own. Here the times are real date-times (Dintero's samples carry ISO timestamps).
"""

from pydantic import Field

from .base import DocumentModel
from .customer import Address
from .itinerary import Ticket
from .types import DateTime, LineId, Text


class Passenger(DocumentModel):
    """A traveller on a reservation; legs refer to it through `passenger_id`."""

    id: Text | None = Field(None, description="The passenger's id; legs refer to it")
    title: Text | None = Field(None, description="Form of address, e.g. `Mr`")
    first_name: Text | None = Field(None, description="Given name")
    last_name: Text | None = Field(None, description="Family name")


class Insurance(DocumentModel):
    """Travel insurance bought with a reservation."""

    insurance_company: Text | None = Field(None, description="The insurer")
    insurance_type: Text | None = Field(None, description="Kind of insurance, e.g. `travel`")


class ReservationLeg(Ticket):
    """One leg of a passenger reservation: the ticket fields plus where, when and validity."""

    departure_address: Address | None = Field(None, description="Where the leg starts")
    departure_at: DateTime | None = Field(None, description="Departure time (date-time)")
    arrival_address: Address | None = Field(None, description="Where the leg ends")
    arrival_at: DateTime | None = Field(None, description="Arrival time (date-time)")
    operator: Text | None = Field(None, description="The transport operator")
    expires_at: DateTime | None = Field(None, description="When the ticket stops being valid")
    activates_at: DateTime | None = Field(None, description="When the ticket becomes valid")


class Reservation(DocumentModel):
    """A bus, ferry, metro, taxi, train or tram booking covering some order lines."""

    booking_id: Text | None = Field(None, description="The booking reference")
    line_ids: list[LineId] | None = Field(
        None, description="`line_id`s of the order items the booking covers"
    )
    passengers: list[Passenger] | None = Field(None, description="The travellers")
    itinerary: list[ReservationLeg] | None = Field(None, description="The legs booked")
    insurance: list[Insurance] | None = Field(None, description="Insurance bought with it")


class CarRental(DocumentModel):
    """One rental period of a car reservation."""

    rental_company: Text | None = Field(None, description="The car rental company")
    drivers_id: list[Text] | None = Field(None, description="Ids of the drivers")
    pick_up_address: Address | None = Field(None, description="Where the car is picked up")
    pick_up_at: DateTime | None = Field(None, description="When the car is picked up")
    drop_off_address: Address | None = Field(None, description="Where the car is returned")
    drop_off_at: DateTime | None = Field(None, description="When the car is returned")
    class_: Text | None = Field(default=None, alias="class", description="The car class")


class CarReservation(DocumentModel):
    """A car rental booking covering some order lines."""

    booking_id: Text | None = Field(None, description="The booking reference")
    line_ids: list[LineId] | None = Field(
        None, description="`line_id`s of the order items the booking covers"
    )
    itinerary: list[CarRental] | None = Field(None, description="The rental periods")
    drivers: list[Text] | None = Field(None, description="The drivers' names")
    insurance: list[Insurance] | None = Field(None, description="Insurance bought with it")


class Attachment(DocumentModel):
    """Travel reservations for the order, one optional slot per means of transport."""

    id: Text | None = Field(None, description="The attachment's id")
    bus_reservation: Reservation | None = Field(None, description="A bus booking")
    car_reservation: CarReservation | None = Field(None, description="A car booking")
    ferry_reservation: Reservation | None = Field(None, description="A ferry booking")
    metro_reservation: Reservation | None = Field(None, description="A metro booking")
    taxi_reservation: Reservation | None = Field(None, description="A taxi booking")
    train_reservation: Reservation | None = Field(None, description="A train booking")
    tram_reservation: Reservation | None = Field(None, description="A tram booking")
