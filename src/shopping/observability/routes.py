"""The route template of a request turned away before routing (413, 429).

Rejections are rare, so this is built from the OpenAPI document on the first one (the
public description of every route) rather than from the router's internals.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.routing import compile_path
from starlette.types import Scope


class RouteTemplates:
    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], str, frozenset[str]]] | None = None

    def match(self, scope: Scope) -> str | None:
        routes = self._routes
        if routes is None:
            routes = self._routes = _compile(scope["app"].openapi())
        path, method = scope["path"], scope["method"]
        partial = None
        for regex, template, methods in routes:
            if regex.match(path):
                if method in methods:
                    return template
                partial = partial or template
        return partial


def _compile(openapi: dict[str, Any]) -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    routes = []
    for template, operations in openapi.get("paths", {}).items():
        regex, _, _ = compile_path(template)
        routes.append((regex, template, frozenset(method.upper() for method in operations)))
    return routes
