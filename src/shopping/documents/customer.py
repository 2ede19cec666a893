"""The customer and the address shapes (spec §3.7)."""

from .base import DocumentModel
from .types import (
    CountryCode,
    CustomerId,
    Date,
    DateTime,
    Email,
    Flag,
    JsonObject,
    Number,
    PhoneNumber,
    Text,
)


class Address(DocumentModel):
    """Postal fields only; the address shape inside attachments.

    Coordinates are plain numbers: the spec gives no range and Dintero's own samples carry
    placeholder values such as `123`, so a mirror must not be stricter than the original.
    """

    address_line: Text | None = None
    address_line_2: Text | None = None
    postal_code: Text | None = None
    postal_place: Text | None = None
    latitude: Number | None = None
    longitude: Number | None = None
    country: CountryCode | None = None


class CustomerAddress(Address):
    """An address in the customer's address book."""

    type: Text | None = None
    custom_type: Text | None = None


class ContactAddress(Address):
    """The order's `shipping_address` / `billing_address`: who receives it and how."""

    first_name: Text | None = None
    last_name: Text | None = None
    comment: Text | None = None


class EnrolledBy(DocumentModel):
    """Where the customer signed up, e.g. `{"value": "https://facebook.com", "type": "url"}`."""

    value: Text | None = None
    type: Text | None = None


class Company(DocumentModel):
    """The customer's company; `bussiness_name` is misspelled in Dintero's API and kept so."""

    organization_number: Text | None = None
    bussiness_name: Text | None = None
    department: Text | None = None
    industry: Text | None = None
    website: Text | None = None
    number_of_employees: Text | None = None


class Consent(DocumentModel):
    """One marketing channel's consent and when it was last changed."""

    consent: Flag | None = None
    updated_at: DateTime | None = None


class MarketingConsent(DocumentModel):
    """Marketing consent per channel."""

    sms: Consent | None = None
    email: Consent | None = None


class Term(DocumentModel):
    """The terms the customer accepted."""

    id: Text | None = None


class Customer(DocumentModel):
    """The buyer; `id` may be any string the merchant uses (up to 255 characters: it is
    indexed for the customer-scoped views and the `customer_id` filter)."""

    id: CustomerId | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    gender: Text | None = None
    email: Email | None = None
    phone_number: PhoneNumber | None = None
    metadata: JsonObject | None = None
    addresses: list[CustomerAddress] | None = None
    pays_tax: Flag | None = None
    date_of_birth: Date | None = None
    enrolled_by: EnrolledBy | None = None
    favorite_store: Text | None = None
    company: Company | None = None
    marketing_consent: MarketingConsent | None = None
    status: Text | None = None
    term: Term | None = None
    type: Text | None = None
