"""Limits: request body size (413) and per-client rate limiting (429 with Retry-After), both
answered in the error envelope."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import Request

from shopping.limits.rate import RateLimiter
from tests.ops.conftest import client, ops_app, sample, scrape
from tests.support.drafts import draft_body, item

LIMIT = 2000


def big_body(size: int) -> bytes:
    body = json.dumps(draft_body(item(description="x" * size))).encode()
    assert len(body) > size
    return body


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.json() == {
        "error": {
            "code": "PAYLOAD_TOO_LARGE",
            "message": f"The request body must not be larger than {LIMIT} bytes",
        }
    }
    assert "X-Request-Id" in response.headers


async def chunks(body: bytes, size: int = 500) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_bodies_over_the_limit_are_refused_in_the_envelope(
    database_url: str, account: str
) -> None:
    async with ops_app(database_url, max_body_bytes=LIMIT) as app, client(app, account) as api:
        before = await scrape(api)
        json_headers = {"Content-Type": "application/json"}
        # a declared length over the limit: refused before reading, the connection closed
        declared = await api.post("/draft_orders", content=big_body(LIMIT), headers=json_headers)
        assert_too_large(declared)
        assert declared.headers["Connection"] == "close"
        # a streamed body without a length: counted while it is read (FastAPI's body parsing)
        streamed = await api.post(
            "/draft_orders", content=chunks(big_body(LIMIT)), headers=json_headers
        )
        assert "content-length" not in streamed.request.headers
        assert_too_large(streamed)
        # ... and where a route reads the raw body itself (the write's fingerprint)
        draft = (await api.post("/draft_orders", json=draft_body(item()))).json()
        edited = await api.put(
            f"/draft_orders/{draft['id']}",
            content=chunks(big_body(LIMIT)),
            headers={**json_headers, "Idempotency-Key": "k-1"},
        )
        assert_too_large(edited)
        # a GET declaring a large body is refused too, without routing
        get = await api.request("GET", "/draft_orders", content=b"x" * (LIMIT + 1))
        assert_too_large(get)
        # at the limit: fine
        fits = await api.post("/draft_orders", json=draft_body(item(description="y" * 1000)))
        assert fits.status_code == 200, fits.text
        assert len(fits.request.content) <= LIMIT

        metrics = await scrape(api)
    # refused before routing, yet counted under the route's template
    refused = {"method": "POST", "route": "/v1/accounts/{aid}/shopping/draft_orders"}
    counted = [
        sample(m, "shopping_http_requests_total", status="413", **refused)
        for m in (before, metrics)
    ]
    assert counted[1] - counted[0] == 2


async def test_the_default_body_limit_is_one_mebibyte(api: httpx.AsyncClient) -> None:
    body = big_body(1024 * 1024)
    response = await api.post(
        "/draft_orders", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_client_over_its_rate_gets_429_with_retry_after(
    database_url: str, account: str
) -> None:
    settings = {"rate_limit_per_second": 0.5, "rate_limit_burst": 3}
    async with (
        ops_app(database_url, **settings) as app,
        client(app, account, client_id="busy") as busy,
        client(app, account, client_id="calm") as calm,
        client(app) as anonymous,
    ):
        before = await scrape(anonymous)
        statuses = [(await busy.get("/draft_orders")).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = await busy.get("/draft_orders", headers={"X-Request-Id": "rl-1"})
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "2"  # one token at 0.5/s
        assert limited.headers["X-Request-Id"] == "rl-1"
        assert limited.json()["error"]["code"] == "TOO_MANY_REQUESTS"
        assert (await busy.post("/draft_orders", json=draft_body(item()))).status_code == 429

        # other clients have their own bucket; requests without a valid token have none
        assert (await calm.get("/draft_orders")).status_code == 200
        path = f"/v1/accounts/{account}/shopping/draft_orders"
        for _ in range(5):
            assert (await anonymous.get(path)).status_code == 401
            invalid = await anonymous.get(path, headers={"Authorization": "Bearer nope"})
            assert invalid.status_code == 401
            assert (await anonymous.get("/health/live")).status_code == 200
        metrics = await scrape(anonymous)
    limited_label = {"method": "GET", "route": "/v1/accounts/{aid}/shopping/draft_orders"}
    counted = [
        sample(m, "shopping_http_requests_total", status="429", **limited_label)
        for m in (before, metrics)
    ]
    assert counted[1] - counted[0] == 1


@pytest.mark.parametrize("disabled", [{"rate_limit_per_second": 0}, {"rate_limit_burst": 0}])
async def test_zero_disables_rate_limiting(
    database_url: str, account: str, disabled: dict[str, float]
) -> None:
    settings = {"rate_limit_per_second": 0.001, "rate_limit_burst": 1, **disabled}
    async with ops_app(database_url, **settings) as app, client(app, account) as api:
        for _ in range(10):
            assert (await api.get("/draft_orders")).status_code == 200


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_refills_at_the_rate_up_to_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=10, burst=5, clock=clock)
    assert [limiter.acquire("a") for _ in range(6)] == [0, 0, 0, 0, 0, 1]
    clock.now += 0.1  # one token back
    assert [limiter.acquire("a") for _ in range(2)] == [0, 1]
    clock.now += 60  # refills to the burst, no further
    assert [limiter.acquire("a") for _ in range(6)] == [0, 0, 0, 0, 0, 1]
    assert limiter.acquire("b") == 0


def test_retry_after_is_whole_seconds_until_a_token_is_back() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=0.25, burst=1, clock=clock)
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == 4
    clock.now += 2.5
    assert limiter.acquire("a") == 2  # 1.5 s to go, rounded up
    clock.now += 1.5
    assert limiter.acquire("a") == 0


def test_idle_clients_are_forgotten_when_the_table_is_full() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=1, burst=2, clock=clock, max_clients=10)
    for n in range(10):
        limiter.acquire(f"idle-{n}")
    clock.now += 5  # their buckets are full again
    limiter.acquire("busy")
    assert len(limiter) == 1
    for n in range(20):  # all busy at once: the table still stays bounded
        limiter.acquire(f"busy-{n}")
    assert len(limiter) <= 10


def test_a_limiter_needs_a_rate_and_a_burst() -> None:
    with pytest.raises(ValueError, match="per_second"):
        RateLimiter(per_second=0, burst=1)


async def test_fastapis_own_body_limit_answers_in_the_envelope_too(database_url: str) -> None:
    """A route's `max_body_size` (FastAPI's built-in limit) answers a declared length over it
    in plain text; that response is put into the envelope."""

    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    async with ops_app(database_url) as app, client(app) as http:
        app.add_api_route("/echo", echo, methods=["POST"], max_body_size=10)
        declared = await http.post("/echo", content=b"x" * 11)
        streamed = await http.post("/echo", content=chunks(b"x" * 11, size=5))
        fits = await http.post("/echo", content=b"x" * 10)
    assert fits.json() == {"size": 10}
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
        assert "X-Request-Id" in response.headers
