"""Small value objects shared by orders, items and itineraries (spec §3.8)."""

from pydantic import Field

from .base import DocumentModel
from .types import Flag, Text


class ExternalId(DocumentModel):
    """An id of the order (or an itinerary address) in another system."""

    id: Text | None = Field(None, description="The id in the other system")
    source: Text | None = Field(None, description="The system the id comes from")
    description: Text | None = Field(None, description="What the id is, in words")


class ExternalLink(DocumentModel):
    """A link shown with the order, e.g. a receipt; `public` marks it safe for the customer."""

    text: Text | None = Field(None, description="The link's text, e.g. `Order Receipt`")
    href: Text | None = Field(None, description="The URL")
    public: Flag | None = Field(None, description="Whether the customer may see the link")


class Link(DocumentModel):
    """A `_links` entry."""

    href: Text | None = Field(None, description="The URL of the related resource")
    rel: Text | None = Field(None, description="How the resource relates, e.g. `order`")


class Group(DocumentModel):
    """A product group an item or addition belongs to."""

    id: Text | None = Field(None, description="The group's id, e.g. `B1`")
    name: Text | None = Field(None, description="The group's name, e.g. `Møbel`")


class _StoreBase(DocumentModel):
    """Fields a sales location has at both order and item level."""

    id: Text | None = Field(None, description="The sales location's id, e.g. `SL02`")
    organization_number: Text | None = Field(
        None, description="Organization number of the business that runs the location"
    )
    name: Text | None = Field(None, description="The sales location's name")
    business_name: Text | None = Field(
        None, description="Name of the business that runs the location"
    )


class Store(_StoreBase):
    """The order-level sales location; carries a list of `comments`."""

    comments: list[Text] | None = Field(None, description="Notes about the sales location")


class ItemStore(_StoreBase):
    """The sales location of one item (drives draft splitting); carries a single `comment`."""

    comment: Text | None = Field(None, description="A note about the sales location")
