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

    id: Text | None = None
    title: Text | None = None
    first_name: Text | None = None
    last_name: Text | None = None


class Insurance(DocumentModel):
    """Travel insurance bought with a reservation."""

    insurance_company: Text | None = None
    insurance_type: Text | None = None


class ReservationLeg(Ticket):
    """One leg of a passenger reservation: the ticket fields plus where, when and validity."""

    departure_address: Address | None = None
    departure_at: DateTime | None = None
    arrival_address: Address | None = None
    arrival_at: DateTime | None = None
    operator: Text | None = None
    expires_at: DateTime | None = None
    activates_at: DateTime | None = None


class Reservation(DocumentModel):
    """A bus, ferry, metro, taxi, train or tram booking covering some order lines."""

    booking_id: Text | None = None
    line_ids: list[LineId] | None = None
    passengers: list[Passenger] | None = None
    itinerary: list[ReservationLeg] | None = None
    insurance: list[Insurance] | None = None


class CarRental(DocumentModel):
    """One rental period of a car reservation."""

    rental_company: Text | None = None
    drivers_id: list[Text] | None = None
    pick_up_address: Address | None = None
    pick_up_at: DateTime | None = None
    drop_off_address: Address | None = None
    drop_off_at: DateTime | None = None
    class_: Text | None = Field(default=None, alias="class")


class CarReservation(DocumentModel):
    """A car rental booking covering some order lines."""

    booking_id: Text | None = None
    line_ids: list[LineId] | None = None
    itinerary: list[CarRental] | None = None
    drivers: list[Text] | None = None
    insurance: list[Insurance] | None = None


class Attachment(DocumentModel):
    """Travel reservations for the order, one optional slot per means of transport."""

    id: Text | None = None
    bus_reservation: Reservation | None = None
    car_reservation: CarReservation | None = None
    ferry_reservation: Reservation | None = None
    metro_reservation: Reservation | None = None
    taxi_reservation: Reservation | None = None
    train_reservation: Reservation | None = None
    tram_reservation: Reservation | None = None
