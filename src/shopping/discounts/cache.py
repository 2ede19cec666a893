"""Rules as the engine reads them, kept per process between requests.

Pricing a draft reads the versions (`updated_at`) of the rules a customer may use; a rule
whose version is cached is neither fetched nor parsed again. Every change of a rule moves
its `updated_at`, so a process never prices with a stale rule, whichever process changed it.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from shopping.discounts.rules import Rule, read_rule

Json = dict[str, Any]
DEFAULT_SIZE = 20_000


class RuleCache:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple[datetime, Rule, Json]] = OrderedDict()

    def get(self, account_id: str, rule_id: str, version: datetime) -> tuple[Rule, Json] | None:
        entry = self._entries.get((account_id, rule_id))
        if entry is None or entry[0] != version:
            return None
        self._entries.move_to_end((account_id, rule_id))
        return entry[1], entry[2]

    def put(self, account_id: str, version: datetime, document: Json) -> tuple[Rule, Json]:
        rule = read_rule(document)
        key = (account_id, rule.id)
        self._entries[key] = (version, rule, document)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return rule, document
