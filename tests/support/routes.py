"""The app's API routes, however its routers were included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def api_routes(app: FastAPI) -> list[APIRoute]:
    return list(_walk(app.router.routes))


def _walk(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # an included router
        if included is not None:
            yield from _walk(included.routes)
        elif isinstance(route, APIRoute):
            yield route
