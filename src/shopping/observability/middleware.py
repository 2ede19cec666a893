"""The outermost request middleware: request id, access log, request metrics.

Plain ASGI (no per-request objects beyond a closure): it reads the request id, wraps `send`
to add `X-Request-Id` to the response, and when the response is done records one metric
sample and, if the access logger is enabled, one log line.

It wraps the app's whole middleware stack, Starlette's error middleware included (see
`install.py`), so the 500 that middleware renders for an unhandled exception carries the
request id too, and the error it logs names the request.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopping.auth.tokens import TokenIssuer
from shopping.observability.context import (
    REQUEST_ID_HEADER,
    principal_of,
    request_id_from,
    request_id_var,
    route_of,
)
from shopping.observability.logs import access_log
from shopping.observability.metrics import REQUEST_METRICS, RequestMetrics

_INFO = logging.INFO


class RequestObservability:
    def __init__(
        self, app: ASGIApp, *, tokens: TokenIssuer, metrics: RequestMetrics = REQUEST_METRICS
    ) -> None:
        self.app = app
        self.tokens = tokens
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = request_id_from(scope["headers"])
        request_id_header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        context = request_id_var.set(request_id)
        status = 500  # unless a response starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), request_id_header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            route = route_of(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            if access_log.isEnabledFor(_INFO):
                self._log(scope, request_id, route, status, seconds)
            request_id_var.reset(context)

    def _log(self, scope: Scope, request_id: str, route: str, status: int, seconds: float) -> None:
        fields: dict[str, object] = {
            "request_id": request_id,
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        principal = principal_of(scope, self.tokens)
        if principal is not None:
            fields["account_id"] = principal.account_id
            fields["client_id"] = principal.client_id
        # a record made directly: `info()` would also look up the calling frame, for nothing
        access_log.handle(
            access_log.makeRecord(access_log.name, _INFO, "", 0, "request", (), None, extra=fields)
        )
