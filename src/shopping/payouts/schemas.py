"""Bodies and answers of the stored payout-rule endpoints (Billing API)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from shopping.documents.base import DocumentModel
from shopping.documents.payout_rules import Destination, PayoutRule
from shopping.documents.types import Integer, JsonObject, Text

RuleKey = Annotated[str, Field(min_length=1, max_length=255, strict=True)]


class PayoutRuleWrite(DocumentModel):
    """Create a rule, or (PUT) replace its destinations and metadata as a new version."""

    rule_type: RuleKey = Field(
        description="What kind of key `rule_id` is, e.g. `order.items.store.id`; an item "
        "whose draft resolves rules by this type uses the rule. Fixed once created."
    )
    rule_id: RuleKey = Field(
        description="The key of the rule within its type, e.g. the store id of the items "
        "it pays out. Unique per type among rules not deleted; fixed once created."
    )
    destinations: Annotated[list[Destination], Field(min_length=1)] = Field(
        description="The split: the top-level nodes share the amount being paid out."
    )
    metadata: JsonObject | None = Field(
        None, description="Free-form key-value data kept with the rule."
    )


class StoredPayoutRule(PayoutRule):
    """A stored payout rule, as its latest version."""

    id: Text = Field(description="Read-only: the rule's id (UUID), the same for every version.")
    rule_version: Integer = Field(
        description="Read-only: the version, 1 when created and one more on each update."
    )
    account_id: Text = Field(description="Read-only: the account the rule belongs to.")
    created_at: datetime = Field(description="Read-only: when this version was stored.")
    created_by: Text = Field(description="Read-only: the API client that stored this version.")
    deleted_at: datetime | None = Field(
        None, description="Read-only: when the rule was deleted; absent while it is in use."
    )


class PayoutRuleList(BaseModel):
    """`GET /billing/payout-rules`."""

    payout_rules: list[StoredPayoutRule] = Field(
        description="The latest version of each rule that matches the filters."
    )
