"""The `include_events` query parameter (reference §2.1)."""

from __future__ import annotations

from shopping.kit.pagination import multi_value

API_EVENT, SERVICE_EVENT = "api-event", "service-event"
ACCOUNT_VALUES = frozenset({"false", "true", API_EVENT, SERVICE_EVENT})
#: Store- and customer-scoped endpoints never expose api (audit) events.
SCOPED_VALUES = frozenset({"false", "true", SERVICE_EVENT})


def event_types(values: list[str] | None, *, scoped: bool = False) -> frozenset[str]:
    """The event types to embed; empty means none (and no `state`)."""
    allowed = SCOPED_VALUES if scoped else ACCOUNT_VALUES
    chosen = set(multi_value(values, "include_events", allowed=allowed))
    types: set[str] = set()
    if "true" in chosen:
        types |= {SERVICE_EVENT} if scoped else {API_EVENT, SERVICE_EVENT}
    types |= chosen & {API_EVENT, SERVICE_EVENT}
    return frozenset(types)
