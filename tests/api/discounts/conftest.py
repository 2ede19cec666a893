from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import bearer


@pytest.fixture
async def discounts(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for one account's Discounts API, holding an admin:discounts token."""
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/discounts",
        headers=bearer(app, account, "admin:discounts"),
    ) as client:
        yield client


@pytest.fixture
async def shop(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the account's Shopping API that may also ask for discounts."""
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers=bearer(app, account, "admin:shopping", "write:discounts"),
        params={"apply_discounts": "true"},
    ) as client:
        yield client
