"""The customer and the address shapes (spec §3.7)."""

from pydantic import Field

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

    address_line: Text | None = Field(None, description="Street address, e.g. `Sommerkroveien 34`")
    address_line_2: Text | None = Field(None, description="Second address line, e.g. `PB 123`")
    postal_code: Text | None = Field(None, description="Postal code, e.g. `0349`")
    postal_place: Text | None = Field(None, description="Town or city, e.g. `Oslo`")
    latitude: Number | None = Field(None, description="Latitude in decimal degrees")
    longitude: Number | None = Field(None, description="Longitude in decimal degrees")
    country: CountryCode | None = Field(
        None, description="ISO 3166-1 alpha-2 country code, e.g. `NO`"
    )


class CustomerAddress(Address):
    """An address in the customer's address book."""

    type: Text | None = Field(None, description="Kind of address, e.g. `home` or `work`")
    custom_type: Text | None = Field(None, description="The merchant's own kind of address")


class ContactAddress(Address):
    """The order's `shipping_address` / `billing_address`: who receives it and how."""

    first_name: Text | None = Field(None, description="Recipient's first name")
    last_name: Text | None = Field(None, description="Recipient's last name")
    comment: Text | None = Field(
        None, description="Extra delivery information, e.g. `5th floor, use doorbell.`"
    )


class EnrolledBy(DocumentModel):
    """Where the customer signed up, e.g. `{"value": "https://facebook.com", "type": "url"}`."""

    value: Text | None = Field(None, description="Where the customer signed up")
    type: Text | None = Field(None, description="What `value` is, e.g. `url`")


class Company(DocumentModel):
    """The customer's company; `bussiness_name` is misspelled in Dintero's API and kept so."""

    organization_number: Text | None = Field(None, description="The company's organization number")
    bussiness_name: Text | None = Field(
        None, description="The company's name (spelled so in Dintero's API)"
    )
    department: Text | None = Field(None, description="The customer's department")
    industry: Text | None = Field(None, description="The company's industry")
    website: Text | None = Field(None, description="The company's website")
    number_of_employees: Text | None = Field(
        None, description="Company size, as text, e.g. `50-100`"
    )


class Consent(DocumentModel):
    """One marketing channel's consent and when it was last changed."""

    consent: Flag | None = Field(None, description="Whether the customer consents")
    updated_at: DateTime | None = Field(None, description="When the consent was last changed")


class MarketingConsent(DocumentModel):
    """Marketing consent per channel."""

    sms: Consent | None = Field(None, description="Consent to marketing by SMS")
    email: Consent | None = Field(None, description="Consent to marketing by email")


class Term(DocumentModel):
    """The terms the customer accepted."""

    id: Text | None = Field(None, description="Id of the accepted terms")


class Customer(DocumentModel):
    """The buyer; `id` may be any string the merchant uses (up to 255 characters: it is
    indexed for the customer-scoped views and the `customer_id` filter)."""

    id: CustomerId | None = Field(
        None,
        description="The merchant's customer id, any string up to 255 characters; the "
        "customer-scoped views and the `customer_id` filter look orders up by it",
    )
    first_name: Text | None = Field(None, description="Given name")
    last_name: Text | None = Field(None, description="Family name")
    gender: Text | None = Field(None, description="Gender, e.g. `male`")
    email: Email | None = Field(None, description="Email address")
    phone_number: PhoneNumber | None = Field(
        None, description="Phone number in E.164 format, e.g. `+4799999999`"
    )
    metadata: JsonObject | None = Field(None, description="The merchant's own key/values")
    addresses: list[CustomerAddress] | None = Field(None, description="The customer's addresses")
    pays_tax: Flag | None = Field(None, description="Whether the customer pays tax")
    date_of_birth: Date | None = Field(None, description="Date of birth, `YYYY-MM-DD`")
    enrolled_by: EnrolledBy | None = Field(None, description="Where the customer signed up")
    favorite_store: Text | None = Field(None, description="Id of the customer's preferred store")
    company: Company | None = Field(None, description="The customer's company, for business buyers")
    marketing_consent: MarketingConsent | None = Field(
        None, description="Marketing consent per channel"
    )
    status: Text | None = Field(None, description="The customer's status in the merchant's system")
    term: Term | None = Field(None, description="The terms the customer accepted")
    type: Text | None = Field(None, description="Kind of customer, e.g. `customer`")
