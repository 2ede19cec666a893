"""Mounting the back office on the app: its collaborators, routes and stylesheet."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, FastAPI
from starlette.responses import Response

from shopping.backoffice import (
    discount_pages,
    draft_pages,
    order_pages,
    payout_pages,
    sign_in,
    webhook_pages,
)
from shopping.backoffice.rendering import Pages
from shopping.backoffice.sessions import SessionCodec
from shopping.backoffice.web import PREFIX, Backoffice
from shopping.config import Settings
from shopping.kit.clock import Clock

static_router = APIRouter(prefix=f"{PREFIX}/static", include_in_schema=False)


@cache
def _stylesheet() -> bytes:
    return files("shopping.backoffice").joinpath("static/backoffice.css").read_bytes()


@static_router.get("/backoffice.css")
async def stylesheet() -> Response:
    return Response(
        _stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def install_backoffice(app: FastAPI, settings: Settings, clock: Clock) -> None:
    app.state.backoffice = Backoffice(SessionCodec(settings.signing_secret(), clock), Pages(clock))
    for router in (
        static_router,
        sign_in.router,
        order_pages.router,
        draft_pages.router,
        webhook_pages.router,
        payout_pages.router,
        discount_pages.router,
    ):
        app.include_router(router)
