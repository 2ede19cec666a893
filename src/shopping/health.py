"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from shopping.deps import DatabaseDep
from shopping.errors import ErrorEnvelope, ShoppingError
from shopping.kit.json import JsonResponse
from shopping.openapi.responses import success

router = APIRouter(prefix="/health", tags=["health"])
_PING = text("SELECT 1")
OK = {"status": "ok"}


class NotReady(ShoppingError):
    status_code = 503
    code = "NOT_READY"


class HealthStatus(BaseModel):
    status: Literal["ok"] = Field(description="Always `ok`: the probe passed")


@router.get(
    "/live", summary="Check that the server is running", responses=success(HealthStatus, OK)
)
async def live() -> JsonResponse:
    """Answers as long as the server process serves requests; it does not look at the
    database. No token is needed: for a container's or load balancer's liveness probe."""
    return JsonResponse(OK)


@router.get(
    "/ready",
    summary="Check that the server can serve requests",
    responses={
        **success(HealthStatus, OK),
        503: {
            "model": ErrorEnvelope,
            "description": "`NOT_READY`: the database cannot be reached.",
        },
    },
)
async def ready(db: DatabaseDep) -> JsonResponse:
    """Answers `ok` once the database answers a query, else 503 `NOT_READY`. No token is
    needed: for a readiness probe that keeps traffic away until the server can serve it."""
    try:
        async with db.read() as conn:
            await conn.scalar(_PING)
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise NotReady("The database is not reachable") from exc
    return JsonResponse(OK)
