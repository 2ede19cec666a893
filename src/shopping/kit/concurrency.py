"""Optimistic concurrency: a write that names a version must name the current one."""

from __future__ import annotations

from shopping.errors import Conflict


class StaleVersion(Conflict):
    code = "VERSION_CONFLICT"

    def __init__(self, resource: str, expected: int, current: int) -> None:
        super().__init__(
            f"{resource} is at version {current}, not {expected}; re-read it and retry",
            extra={"current_version": current},
            headers={"ETag": f'"{current}"'},
        )


def assert_current(resource: str, current: int, *expected: int | None) -> None:
    """`expected`: versions the request named (If-Match header, a `version` body field)."""
    for version in expected:
        if version is not None and version != current:
            raise StaleVersion(resource, version, current)
