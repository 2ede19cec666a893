"""Prometheus metrics at `GET /metrics` (text exposition; no token).

* Request count and latency by route template, method and status, recorded by the request
  middleware. With several server processes (`serve --workers N`) the CLI points
  `PROMETHEUS_MULTIPROC_DIR` at a fresh directory before the workers start; each worker then
  keeps its values in files there, and a scrape (answered by any worker) adds them up.
* The webhook backlog and delivery results, read from the database at scrape time
  (`backlog.py`), so they are right whichever process sent what.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from shopping.deps import ClockDep, DatabaseDep
from shopping.observability.backlog import Backlog, read_backlog
from shopping.observability.multiprocess import MULTIPROC_ENV

log = logging.getLogger("shopping.metrics")

#: a scrape never waits longer than this for the database
BACKLOG_TIMEOUT_SECONDS: Final = 5.0
LATENCY_BUCKETS: Final = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip
_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LABELS: Final = ("method", "route", "status")

disable_created_metrics()  # type: ignore[no-untyped-call]  # `*_created`: noise here

#: the request metrics live in their own registry (one per process, shared by every app)
_REQUESTS_REGISTRY = CollectorRegistry(auto_describe=False)
_REQUESTS = Counter(
    "shopping_http_requests",
    "HTTP requests served, by route template, method and status",
    _LABELS,
    registry=_REQUESTS_REGISTRY,
)
_LATENCY = Histogram(
    "shopping_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, in seconds",
    _LABELS,
    buckets=LATENCY_BUCKETS,
    registry=_REQUESTS_REGISTRY,
)


class RequestMetrics:
    """Counts and times requests; labelled children are looked up once per label set."""

    def __init__(self) -> None:
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            labels = (method if method in _METHODS else "OTHER", route, str(status))
            children = (_REQUESTS.labels(*labels), _LATENCY.labels(*labels))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


REQUEST_METRICS: Final = RequestMetrics()


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


class _Families:
    """A collector yielding metric families computed before the scrape."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> Iterator[Metric]:
        yield from self._families


class _Forward:
    """A collector yielding another registry's metrics."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()


def backlog_families(backlog: Backlog | None) -> list[Metric]:
    up = GaugeMetricFamily(
        "shopping_metrics_database_up",
        "1 when the backlog metrics could be read from the database at this scrape",
        value=0 if backlog is None else 1,
    )
    if backlog is None:
        return [up]
    outbox = GaugeMetricFamily(
        "shopping_outbox_pending_messages",
        "Outbox messages not yet fanned out into webhook deliveries",
        value=backlog.outbox.count,
    )
    outbox_age = GaugeMetricFamily(
        "shopping_outbox_oldest_pending_message_age_seconds",
        "Age of the oldest outbox message not yet fanned out (0 when none)",
        value=backlog.outbox.oldest_age_seconds,
    )
    pending = GaugeMetricFamily(
        "shopping_webhook_deliveries_pending",
        "Webhook deliveries waiting to be sent, by whether their subscription is active",
        labels=["subscription"],
    )
    pending_age = GaugeMetricFamily(
        "shopping_webhook_oldest_pending_delivery_age_seconds",
        "Age of the oldest pending webhook delivery (0 when none), by subscription state",
        labels=["subscription"],
    )
    for state, numbers in sorted(backlog.deliveries.items()):
        pending.add_metric([state], numbers.count)
        pending_age.add_metric([state], numbers.oldest_age_seconds)
    attempts = CounterMetricFamily(
        "shopping_webhook_delivery_attempts",
        "Webhook delivery attempts recorded, by result: 2xx, other_status, error (no response)",
        labels=["result"],
    )
    for result, count in sorted(backlog.attempts.items()):
        attempts.add_metric([result], count)
    return [up, outbox, outbox_age, pending, pending_age, attempts]


class _SettledFiles(MultiProcessCollector):
    """The workers' metric files, without one still being created: a worker creates its
    file empty and then sizes it, and an empty file would make the whole scrape fail."""

    def collect(self) -> Iterable[Metric]:
        files = settled_files(Path(self._path))
        merged: Iterable[Metric] = self.merge(files, accumulate=True)  # type: ignore[no-untyped-call]
        return merged


def settled_files(directory: Path) -> list[str]:
    files = []
    for path in directory.glob("*.db"):
        with contextlib.suppress(FileNotFoundError):  # a dead worker's, removed meanwhile
            if path.stat().st_size > 0:
                files.append(str(path))
    return files


def exposition(backlog: Backlog | None) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_mode():
        _SettledFiles(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward(_REQUESTS_REGISTRY))
        registry.register(_Forward(REGISTRY))  # process_*, python_gc_*, python_info
    registry.register(_Families(backlog_families(backlog)))
    return generate_latest(registry)


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(db: DatabaseDep, clock: ClockDep) -> Response:
    backlog: Backlog | None
    try:
        async with asyncio.timeout(BACKLOG_TIMEOUT_SECONDS):
            backlog = await read_backlog(db, clock())
    except Exception:  # a scrape still reports the request metrics without the database
        log.warning("could not read the webhook backlog for /metrics", exc_info=True)
        backlog = None
    return Response(exposition(backlog), media_type=CONTENT_TYPE_LATEST)
