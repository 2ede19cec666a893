"""Who is calling: the verified content of a bearer token (or a page session)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: str
    client_id: str
    scopes: frozenset[str]

    def has_any(self, scopes: Iterable[str]) -> bool:
        return not self.scopes.isdisjoint(scopes)
