"""Request limits, checked before routing: body size (413) and per-client rate (429).

Body size: a `Content-Length` above the limit is answered at once, without reading the body
(and the connection is closed). A body without a length (chunked) is counted as it is read;
past the limit reading it raises `BodyTooLarge`, a 413 `HTTPException` that the app's
handlers render in the error envelope, wherever the body was being read.

FastAPI's own body limit (`max_body_size`, not used here) answers some 413s in plain text;
those are put into the envelope on their way out.

Rate: requests carrying a valid bearer token take a token from their client's bucket;
requests without one are left to the route (which answers 401, or is public).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopping.auth.tokens import TokenIssuer
from shopping.errors import PayloadTooLarge, ShoppingError, render
from shopping.limits.rate import RateLimited, RateLimiter
from shopping.observability.context import ROUTE_KEY, header, principal_of
from shopping.observability.routes import RouteTemplates

#: where Starlette's body limit keeps its value (`starlette.middleware.body_limit`)
MAX_BODY_SIZE_SCOPE_KEY = "starlette.max_body_size"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))


def _too_large_message(limit: int) -> str:
    return f"The request body must not be larger than {limit} bytes"


class RequestLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        limiter: RateLimiter | None,
        tokens: TokenIssuer,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limiter = limiter
        self.tokens = tokens
        self._routes = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(header(scope, b"content-length"))
        if length is not None and length > self.max_body_bytes:
            error = PayloadTooLarge(_too_large_message(self.max_body_bytes))
            await self._reject(scope, receive, send, error, close=True)
            return
        if self.limiter is not None:
            principal = principal_of(scope, self.tokens)
            if principal is not None:
                wait = self.limiter.acquire(principal.client_id)
                if wait:
                    await self._reject(scope, receive, send, RateLimited(wait))
                    return
        await self._guarded(scope, receive, send, count=length is None)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, *, count: bool) -> None:
        """Run the app, counting a body of undeclared length (the server holds one with a
        `Content-Length` to that length), and putting a 413 of FastAPI's own body limit
        (`max_body_size` on a route: plain text) into the error envelope."""
        limit, received, started, dropping = self.max_body_bytes, 0, False, False

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_enveloped(message: Message) -> None:
            nonlocal started, dropping
            if dropping:  # the rest of a plain-text 413 replaced below
                return
            if message["type"] == "http.response.start":
                started = True
                if message["status"] == 413 and _plain_text(message):
                    dropping = True
                    error = PayloadTooLarge(_builtin_limit_message(scope))
                    await _render(scope, receive, send, error, close=True)
                    return
            await send(message)

        try:
            await self.app(scope, receive_counted if count else receive, send_enveloped)
        except BodyTooLarge as exc:  # read outside the app's handlers: answer here
            if started:
                raise
            error = PayloadTooLarge(str(exc.detail))
            await self._reject(scope, receive, send, error, close=True)

    async def _reject(
        self, scope: Scope, receive: Receive, send: Send, error: ShoppingError, close: bool = False
    ) -> None:
        if "route" not in scope:  # for the metrics and the access log
            scope[ROUTE_KEY] = self._routes.match(scope)
        await _render(scope, receive, send, error, close=close)


async def _render(
    scope: Scope, receive: Receive, send: Send, error: ShoppingError, *, close: bool
) -> None:
    response = render(error)
    if close:  # the body was not (fully) read: do not reuse the connection
        response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _plain_text(message: Message) -> bool:
    for name, value in message.get("headers", ()):
        if name.lower() == b"content-type":
            return bytes(value).startswith(b"text/plain")
    return False


def _builtin_limit_message(scope: Scope) -> str:
    limit = scope.get(MAX_BODY_SIZE_SCOPE_KEY)
    return _too_large_message(limit) if isinstance(limit, int) else "The request body is too large"


def _content_length(value: bytes | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
