"""The ASGI application: `create_app(settings)` wires state, routers and error handlers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from shopping import __version__
from shopping.api_docs import router as api_docs_router
from shopping.auth.router import router as auth_router
from shopping.auth.tokens import TokenIssuer
from shopping.backoffice.install import install_backoffice
from shopping.checkout.page import router as checkout_page_router
from shopping.checkout.page_security import PageSecurity
from shopping.checkout.paying import PaymentPage
from shopping.checkout.router import router as checkout_router
from shopping.checkout.service import Checkout
from shopping.comments.router import router as comments_router
from shopping.comments.service import Comments
from shopping.config import Settings
from shopping.db import create_database
from shopping.discounts.cache import RuleCache
from shopping.discounts.provider import StoredRuleDiscounts
from shopping.discounts.router import router as discounts_router
from shopping.discounts.service import DiscountRules
from shopping.draft_orders.completion import DraftCompletion
from shopping.draft_orders.completion_router import router as completion_router
from shopping.draft_orders.discounts import DiscountProvider
from shopping.draft_orders.router import router as draft_orders_router
from shopping.draft_orders.service import Drafts
from shopping.errors import install_error_handlers
from shopping.health import router as health_router
from shopping.idempotency.policy import IdempotencyPolicy
from shopping.idempotency.runner import WriteRunner
from shopping.kit.clock import Clock, utc_now
from shopping.limits.install import install_limits
from shopping.observability.install import install_observability
from shopping.openapi.document import install_openapi
from shopping.order_events.router import router as order_events_router
from shopping.order_events.service import OrderEvents
from shopping.orders.actions import OrderActions
from shopping.orders.import_router import router as order_imports_router
from shopping.orders.imports import OrderImports
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
from shopping.webhooks.targets import TargetPolicy
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
    rule_cache = RuleCache()  # discount rules, shared by drafts and the Discounts API
    discounts = discounts or StoredRuleDiscounts(clock, rule_cache)
    payments = PaymentOperations(orders)
    checkout = Checkout(clock, payments)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        stop = asyncio.Event()
        background: list[asyncio.Task[None]] = []
        try:
            await db.open()
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
            await db.dispose()

    app = FastAPI(
        title="shopping-api",
        version=__version__,
        description="A self-hostable server that speaks the Dintero Shopping API.",
        lifespan=lifespan,
        # one schema per model, not `-Input`/`-Output` twins: client generators name their
        # classes after the schema's title, so twins collide
        separate_input_output_schemas=False,
        docs_url=None,  # served offline by `api_docs`, with the rest of the reference
        redoc_url=None,
        # observability is our own (Prometheus metrics, JSON logs with request ids)
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    # The app's services, each under its own name, reached through the typed dependencies in
    # `deps.py` and the routers (tests read them here too).
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    app.state.tokens = TokenIssuer(settings.signing_secret(), settings.token_ttl_seconds, clock)
    app.state.writes = WriteRunner(db, clock, IdempotencyPolicy.from_settings(settings))
    app.state.drafts = Drafts(clock, discounts)
    app.state.completion = DraftCompletion(clock, orders, payout_rules, discounts)
    app.state.orders = orders
    app.state.order_actions = OrderActions(orders)
    app.state.comments = Comments(orders)
    app.state.order_events = OrderEvents(orders)
    app.state.payments = payments
    app.state.sessions = PaymentSessions(orders, checkout)
    app.state.payout_rules = payout_rules
    app.state.subscriptions = Subscriptions(clock, TargetPolicy.from_settings(settings))
    app.state.event_feed = EventFeed()
    app.state.discount_rules = DiscountRules(clock, rule_cache)
    # ---- checkout: the Checkout API and the hosted payment page --------------------------
    app.state.checkout = checkout
    app.state.payment_page = PaymentPage(checkout)
    app.state.checkout_page_security = PageSecurity(settings.signing_secret())
    # ---- order imports (POST /orders) ----
    app.state.order_imports = OrderImports(clock, orders)
    install_error_handlers(app)
    api_routers = (
        auth_router,
        draft_orders_router,
        completion_router,
        discounts_router,
        orders_router,
        order_imports_router,
        sessions_router,
        checkout_router,
        payments_router,
        comments_router,
        order_events_router,
        scoped_orders_router,
        payout_rules_router,
        webhooks_router,
        feed_router,
        health_router,
    )
    for router in (*api_routers, checkout_page_router, api_docs_router):
        app.include_router(router)
    install_openapi(app, api_routers)
    # ---- back office: pages over the same services (src/shopping/backoffice) ----
    install_backoffice(app, settings, clock)
    # request limits, then request ids / logs / metrics around everything (install.py)
    install_limits(app, settings, app.state.tokens)
    install_observability(app, app.state.tokens)
    return app
