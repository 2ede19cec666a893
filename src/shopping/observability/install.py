"""Wire request ids, access logs and metrics into an app."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from shopping.auth.tokens import TokenIssuer
from shopping.observability.metrics import router
from shopping.observability.middleware import RequestObservability


def install_observability(app: FastAPI, tokens: TokenIssuer) -> None:
    """Wrap the app's whole middleware stack (built on its first request) in the request
    middleware: `add_middleware` would put it inside Starlette's error middleware, whose 500
    responses for unhandled exceptions would then lack the request id and go uncounted."""
    build = app.build_middleware_stack

    def build_middleware_stack() -> ASGIApp:
        return RequestObservability(build(), tokens=tokens)

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]
    app.include_router(router)
