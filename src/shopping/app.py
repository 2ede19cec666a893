"""The ASGI application: `create_app(settings)` wires state, routers and error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from shopping import __version__
from shopping.auth.router import router as auth_router
from shopping.auth.tokens import TokenIssuer
from shopping.config import Settings
from shopping.db import create_database
from shopping.deps import State
from shopping.draft_orders.discounts import DiscountProvider, NoDiscounts
from shopping.draft_orders.router import router as draft_orders_router
from shopping.draft_orders.service import Drafts
from shopping.errors import install_error_handlers
from shopping.health import router as health_router
from shopping.kit.clock import Clock, utc_now


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock = utc_now,
    discounts: DiscountProvider | None = None,
) -> FastAPI:
    settings = settings or Settings()
    state = State(
        settings=settings,
        db=create_database(settings),
        tokens=TokenIssuer(settings.signing_secret(), settings.token_ttl_seconds, clock),
        clock=clock,
        drafts=Drafts(clock, discounts or NoDiscounts()),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await state.db.dispose()

    app = FastAPI(
        title="shopping-api",
        version=__version__,
        description="A self-hostable server that speaks the Dintero Shopping API.",
        lifespan=lifespan,
    )
    app.state.shopping = state
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(draft_orders_router)
    return app
