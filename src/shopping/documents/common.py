"""Small value objects shared by orders, items and itineraries (spec §3.8)."""

from .base import DocumentModel
from .types import Flag, Text


class ExternalId(DocumentModel):
    """An id of the order (or an itinerary address) in another system."""

    id: Text | None = None
    source: Text | None = None
    description: Text | None = None


class ExternalLink(DocumentModel):
    """A link shown with the order, e.g. a receipt; `public` marks it safe for the customer."""

    text: Text | None = None
    href: Text | None = None
    public: Flag | None = None


class Link(DocumentModel):
    """A `_links` entry."""

    href: Text | None = None
    rel: Text | None = None


class Group(DocumentModel):
    """A product group an item or addition belongs to."""

    id: Text | None = None
    name: Text | None = None


class _StoreBase(DocumentModel):
    """Fields a sales location has at both order and item level."""

    id: Text | None = None
    organization_number: Text | None = None
    name: Text | None = None
    business_name: Text | None = None


class Store(_StoreBase):
    """The order-level sales location; carries a list of `comments`."""

    comments: list[Text] | None = None


class ItemStore(_StoreBase):
    """The sales location of one item (drives draft splitting); carries a single `comment`."""

    comment: Text | None = None
