"""Which route answers a request never depends on the order routes are registered in."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.support.routes import api_routes


def test_no_two_routes_of_one_method_match_the_same_path(app: FastAPI) -> None:
    routes = api_routes(app)
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
