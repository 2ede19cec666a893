"""Which route answers a request never depends on the order routes are registered in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # an included router
        if included is not None:
            yield from _api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def test_no_two_routes_of_one_method_match_the_same_path(app: FastAPI) -> None:
    routes = list(_api_routes(app.router.routes))
    assert len(routes) > 50  # the walk reached the included routers
    overlaps = [
        (route.path, other.path)
        for route in routes
        for other in routes
        if other is not route
        and (route.methods or set()) & (other.methods or set())
        and other.path_regex.fullmatch(re.sub(r"\{[^}]+\}", "x", route.path))
    ]
    assert overlaps == []
