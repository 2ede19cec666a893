"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from shopping.deps import DatabaseDep
from shopping.errors import ShoppingError

router = APIRouter(prefix="/health", tags=["health"])
_PING = text("SELECT 1")


class NotReady(ShoppingError):
    status_code = 503
    code = "NOT_READY"


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(db: DatabaseDep) -> dict[str, str]:
    try:
        async with db.read() as conn:
            await conn.scalar(_PING)
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise NotReady("The database is not reachable") from exc
    return {"status": "ok"}
