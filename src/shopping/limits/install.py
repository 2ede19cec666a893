"""Wire the request limits into an app (see `middleware.py`)."""

from __future__ import annotations

from fastapi import FastAPI

from shopping.auth.tokens import TokenIssuer
from shopping.config import Settings
from shopping.limits.middleware import RequestLimits
from shopping.limits.rate import RateLimiter


def install_limits(app: FastAPI, settings: Settings, tokens: TokenIssuer) -> None:
    limiter = None
    if settings.rate_limit_per_second > 0 and settings.rate_limit_burst > 0:
        limiter = RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
    app.add_middleware(
        RequestLimits, max_body_bytes=settings.max_body_bytes, limiter=limiter, tokens=tokens
    )
