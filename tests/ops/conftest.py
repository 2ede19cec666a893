"""Helpers for the operability tests: apps with their own settings, metrics parsing, logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.observability.logs import JsonFormatter
from tests.conftest import token_for
from tests.support.completion import extra_app

Json = dict[str, Any]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@asynccontextmanager
async def ops_app(database_url: str, **settings: Any) -> AsyncIterator[FastAPI]:
    async with extra_app(database_url, **settings) as app:
        yield app


@asynccontextmanager
async def client(
    app: FastAPI, account: str | None = None, *, client_id: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for `app`; with `account`, it holds an admin token for that account."""
    headers = {}
    base = "http://testserver"
    if account is not None:
        token = token_for(app, account, ADMIN_SHOPPING, client_id=client_id)
        headers["Authorization"] = f"Bearer {token}"
        base = f"http://testserver/v1/accounts/{account}/shopping"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=base, headers=headers) as http:
        yield http


def samples(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def sample(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient) -> Samples:
    response = await http.get("http://testserver/metrics")
    assert response.status_code == 200, response.text
    return samples(response.text)


@contextmanager
def captured_json_logs(*names: str, level: int = logging.INFO) -> Iterator[list[Json]]:
    """Records of the named loggers as our JSON formatter writes them, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    lines: list[Json] = []
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
    try:
        yield lines
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(old)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines() if line)


@pytest.fixture
def access_logs() -> Iterator[io.StringIO]:
    """The raw text our JSON formatter writes for `shopping.access` during a test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("shopping.access")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def json_lines(stream: io.StringIO) -> list[Json]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]
