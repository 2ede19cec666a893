"""The ASGI application: `create_app(settings)` wires state, routers and error handlers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from shopping import __version__
from shopping.auth.router import router as auth_router
from shopping.auth.tokens import TokenIssuer
from shopping.backoffice.install import install_backoffice
from shopping.comments.router import router as comments_router
from shopping.comments.service import Comments
from shopping.config import Settings
from shopping.db import create_database
from shopping.db.statistics import keep_statistics
from shopping.deps import State
from shopping.draft_orders.completion import DraftCompletion
from shopping.draft_orders.completion_router import router as completion_router
from shopping.draft_orders.discounts import DiscountProvider, NoDiscounts
from shopping.draft_orders.router import router as draft_orders_router
from shopping.draft_orders.service import Drafts
from shopping.errors import install_error_handlers
from shopping.health import router as health_router
from shopping.idempotency.runner import WriteRunner
from shopping.kit.clock import Clock, utc_now
from shopping.kit.lean_routes import serve_lean
from shopping.limits.install import install_limits
from shopping.observability.install import install_observability
from shopping.order_events.router import router as order_events_router
from shopping.order_events.service import OrderEvents
from shopping.orders.actions import OrderActions
from shopping.orders.router import router as orders_router
from shopping.orders.scoped_router import router as scoped_orders_router
from shopping.orders.service import Orders
from shopping.payment_operations.router import router as payments_router
from shopping.payment_operations.service import PaymentOperations
from shopping.payment_sessions.router import router as sessions_router
from shopping.payment_sessions.service import PaymentSessions
from shopping.payouts.router import router as payout_rules_router
from shopping.payouts.service import PayoutRules
from shopping.runtime import settle_heap
from shopping.webhooks.feed import EventFeed
from shopping.webhooks.router import feed_router
from shopping.webhooks.router import router as webhooks_router
from shopping.webhooks.subscriptions import Subscriptions
from shopping.worker.build import worker_for


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock = utc_now,
    discounts: DiscountProvider | None = None,
) -> FastAPI:
    settings = settings or Settings()
    db = create_database(settings)
    orders = Orders(clock)
    payout_rules = PayoutRules(clock)
    state = State(
        settings=settings,
        db=db,
        tokens=TokenIssuer(settings.signing_secret(), settings.token_ttl_seconds, clock),
        clock=clock,
        writes=WriteRunner(db, clock, settings.idempotency_policy()),
        drafts=Drafts(clock, discounts or NoDiscounts()),
        completion=DraftCompletion(clock, orders, payout_rules),
        orders=orders,
        order_actions=OrderActions(orders),
        comments=Comments(orders),
        order_events=OrderEvents(orders),
        payments=PaymentOperations(orders),
        sessions=PaymentSessions(orders, settings.checkout_url),
        payout_rules=payout_rules,
        subscriptions=Subscriptions(clock, settings.webhook_targets()),
        event_feed=EventFeed(),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        stop = asyncio.Event()
        background: list[asyncio.Task[None]] = []
        try:
            interval = settings.db_statistics_interval_seconds
            if not settings.is_sqlite and interval > 0:
                background.append(asyncio.create_task(keep_statistics(db, stop, interval)))
            if not settings.runs_worker_in_process:
                yield
                return
            # the embedded default has no worker process: deliver and sweep in here
            async with worker_for(settings, db, clock) as worker:
                background.append(asyncio.create_task(worker.run_forever(stop)))
                try:
                    yield
                finally:
                    stop.set()
                    await asyncio.gather(*background)
        finally:
            stop.set()
            await asyncio.gather(*background)
            await state.db.dispose()

    app = FastAPI(
        title="shopping-api",
        version=__version__,
        description="A self-hostable server that speaks the Dintero Shopping API.",
        lifespan=lifespan,
        # Our observability is our own (Prometheus metrics, JSON logs with request ids).
        # FastAPI's native OpenTelemetry would ask three global providers whether they are
        # configured on every request (~1 % of an item added to a draft).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.shopping = state
    install_error_handlers(app)
    # A request is matched against the routes in this order: the busiest come first. Order
    # never changes which route answers (no two routes of one method match the same path:
    # tests/api/test_routes.py).
    add_routes(
        app,
        orders_router,
        draft_orders_router,
        completion_router,
        payments_router,
        auth_router,
        scoped_orders_router,
        comments_router,
        order_events_router,
        sessions_router,
        payout_rules_router,
        webhooks_router,
        feed_router,
        health_router,
    )
    # ---- back office: pages over the same services (src/shopping/backoffice) ----
    install_backoffice(app, settings, clock)
    # request limits, then request ids / logs / metrics around everything (install.py)
    install_limits(app, settings, state.tokens)
    install_observability(app, state.tokens)
    return app


def add_routes(app: FastAPI, *routers: APIRouter) -> None:
    """The routers' routes as the app's own, in order. Their prefixes, tags and schema
    settings are already part of each route. FastAPI (0.165) matches an included router by
    trying each of its routes, then tries them again to pick the one to run: 25-35 us for a
    write in the second to fourth router, ~1 us a route here.

    Each route is served by a lean handler where its shape allows (`kit/lean_routes.py`)."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                serve_lean(route)
        app.router.routes.extend(router.routes)
