"""The methods a resource answers, for a 405's and an OPTIONS answer's `Allow` header.

The router's own 405 names only the methods of the first route whose path matches, but a
resource is often served by several routes (`GET` and `POST /draft_orders`). So the
application's routes are asked, through the public `route.matches(scope)`, which methods
they would fully match at this path.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """Sorted; HEAD with GET, and OPTIONS always (answered for every resource)."""
    routes = list(routes)
    methods = {"OPTIONS"}
    for method in METHODS:
        probe = {**scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
