"""What an account has emitted: to show that a refused or empty write emitted nothing."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select

from shopping.models import OutboxMessageRow


async def outbox_count(app: FastAPI, account: str) -> int:
    """How many outbox messages (webhook events) the account has."""
    async with app.state.db.read() as conn:
        count = await conn.scalar(
            select(func.count())
            .select_from(OutboxMessageRow)
            .where(OutboxMessageRow.account_id == account)
        )
    return int(count or 0)
