"""Bodies of the stored payout-rule endpoints (Billing API)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shopping.documents.base import DocumentModel
from shopping.documents.payout_rules import Destination
from shopping.documents.types import JsonObject

RuleKey = Annotated[str, Field(min_length=1, max_length=255, strict=True)]


class PayoutRuleWrite(DocumentModel):
    """Create a rule, or (PUT) replace its destinations and metadata as a new version."""

    rule_type: RuleKey
    rule_id: RuleKey
    destinations: Annotated[list[Destination], Field(min_length=1)]
    metadata: JsonObject | None = None
