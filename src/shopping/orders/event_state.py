"""The combined `state` of an order's service events (reference §10.16).

Uses the latest event of each service: `failure` if any latest is `error` or `failure`;
`pending` if there are no service events or any latest is `pending`; `success` otherwise.
"""

from __future__ import annotations

from typing import Any

SERVICE_EVENT = "service-event"


def combined_state(events: list[dict[str, Any]]) -> str:
    latest: dict[str, str] = {}
    for event in events:  # oldest first, so later events overwrite earlier ones
        if event.get("event_type") == SERVICE_EVENT:
            latest[str(event.get("service"))] = str(event.get("state", "success"))
    states = set(latest.values())
    if states & {"error", "failure"}:
        return "failure"
    if not states or "pending" in states:
        return "pending"
    return "success"
