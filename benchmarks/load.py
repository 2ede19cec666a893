"""Load-test a shopping-api server: the core calls under concurrency, with figures.

    python benchmarks/load.py                          # starts a server on a temp SQLite file
    SHOPPING_DATABASE_URL=postgresql+psycopg://… SHOPPING_JWT_SECRET=… \\
        python benchmarks/load.py --workers 2          # … or on Postgres
    python benchmarks/load.py --url http://host:8000 --client-id … --client-secret …

Scenarios (closed loop, `--concurrency` requests in flight): create (a 3-item draft),
create_discounts (the same with `apply_discounts=true`, against `--discount-rules` active
rules given to everyone; the ratio to create is printed), add_item, get (an order), list
(orders, limit 10), complete (fresh drafts), capture (authorized orders). Prints successful
requests per second and p50/p99 latency per scenario.
The client runs in this process, so on a small machine it takes CPU from the server: compare
figures from the same machine and settings only (the project's docs record the reference
harness's ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ACCOUNT = "T00000001"
SCOPES = ("--scope", "admin:shopping", "--scope", "admin:discounts")
LINE = {
    "quantity": 1,
    "gross_amount": 10000,
    "description": "Stablestol",
    "tax_lines": [{"amount": 2000, "percentage": 25, "included_in_price": True}],
}
DRAFT: dict[str, Any] = {
    "order": {
        "currency": "NOK",
        "customer": {
            "id": "c-1",
            "first_name": "John",
            "last_name": "Doe",
            "email": "customer@example.com",
            "phone_number": "+4799999999",
        },
        "items": [{**LINE, "id": f"SKU-{n}", "line_id": n} for n in (1, 2, 3)],
    }
}


def _eligible(draft: dict[str, Any]) -> dict[str, Any]:
    order = draft["order"]
    items = [{**item, "eligible_for_discount": True} for item in order["items"]]
    return {"order": {**order, "items": items}}


#: The draft of `create`, its items eligible for discounts (the rules on SKU-1..3 match).
DISCOUNTED_DRAFT = _eligible(DRAFT)
AUTHORIZE = {"items": [{"line_id": n, "amount": 10000} for n in (1, 2, 3)], "success": True}
CAPTURE = {"items": [{"line_id": 1, "amount": 10000}], "success": True}


@dataclass
class Server:
    url: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def main() -> None:
    args = _arguments()
    if args.url:
        server = Server(args.url, args.client_id, args.client_secret)
    else:
        server = _start_server(args)
    try:
        asyncio.run(_run(args, server))
    finally:
        server.stop()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (else one is started)")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--workers", type=int, default=1, help="server processes to start")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0, help="per scenario")
    parser.add_argument("--prepare", type=int, default=500, help="drafts/orders made up front")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--discount-rules", type=int, default=200, help="active rules for create_discounts"
    )
    return parser.parse_args()


def _start_server(args: argparse.Namespace) -> Server:
    env = dict(os.environ)
    workdir = Path(tempfile.mkdtemp(prefix="shopping-load-"))
    env.setdefault("SHOPPING_DATABASE_URL", f"sqlite+aiosqlite:///{workdir / 'load.db'}")
    env.setdefault("SHOPPING_RATE_LIMIT_PER_SECOND", "0")
    cli = [sys.executable, "-m", "shopping.cli"]
    created = subprocess.run(
        [*cli, "clients", "create", "--account", ACCOUNT, *SCOPES],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    client = json.loads(created.stdout.strip().splitlines()[-1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return Server(base, client["client_id"], client["client_secret"], process)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not come up")


async def _run(args: argparse.Namespace, server: Server) -> None:
    base = server.url
    async with httpx.AsyncClient() as plain:
        issued = await plain.post(
            f"{base}/v1/accounts/{ACCOUNT}/auth/token",
            auth=(server.client_id, server.client_secret),
            json={"grant_type": "client_credentials"},
        )
    token = issued.json()["access_token"]
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(
        base_url=f"{base}/v1/accounts/{ACCOUNT}/shopping",
        limits=limits,
        timeout=60,
        headers={"Authorization": f"Bearer {token}"},
    ) as api:
        await _discount_rules(api, args.discount_rules)
        drafts = await _prepare(api, args, _new_draft)
        fresh = await _prepare(api, args, _new_draft)
        orders = await _prepare(api, args, _authorized_order)
        scenarios: dict[str, Callable[[int], Awaitable[httpx.Response] | None]] = {
            "create": lambda i: api.post("/draft_orders", json=DRAFT),
            "create_discounts": lambda i: api.post(
                "/draft_orders", json=DISCOUNTED_DRAFT, params={"apply_discounts": "true"}
            ),
            "add_item": lambda i: api.post(
                f"/draft_orders/{drafts[i % len(drafts)]}/items", json={**LINE, "id": "SKU-X"}
            ),
            "get": lambda i: api.get(f"/orders/{orders[i % len(orders)]}"),
            "list": lambda i: api.get("/orders", params={"limit": 10}),
            # single use: these stop when the prepared drafts and orders run out
            "complete": lambda i: (
                api.put(f"/draft_orders/{fresh[i]}/complete") if i < len(fresh) else None
            ),
            "capture": lambda i: (
                api.post(f"/orders/{orders[i]}/captures", json=CAPTURE) if i < len(orders) else None
            ),
        }
        figures = {name: await _measure(call, args) for name, call in scenarios.items()}
    print(f"{'scenario':<10} {'ok req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, f in figures.items():
        print(
            f"{name:<10} {f['ok_rps']:>9.0f} {f['p50_ms']:>8.2f} {f['p99_ms']:>8.2f} "
            f"{f['errors']:>7}"
        )
    if figures["create"]["ok_rps"]:
        ratio = figures["create_discounts"]["ok_rps"] / figures["create"]["ok_rps"]
        print(f"create_discounts / create: {ratio:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


async def _discount_rules(api: httpx.AsyncClient, count: int) -> None:
    """`count` active rules given to everyone: item rules on SKU-1 … SKU-count, alternating
    percent and amount rewards, one in ten limited to one use per customer."""
    base = str(api.base_url).rstrip("/").replace("/shopping", "/discounts")
    for n in range(1, count + 1):
        reward = (
            {"type": "discount_percent", "value": 5}
            if n % 2
            else {"type": "discount_amount", "value": 100}
        )
        rule = {
            "name": f"Rule {n}",
            "receipt_text": f"Offer {n}",
            "requirement": {
                "purchase_from": "2020-01-01T00:00:00Z",
                "purchase_to": "2099-01-01T00:00:00Z",
                "item": {"items": [{"id": f"SKU-{n}"}]},
            },
            "reward": reward,
            "limitation": {"discount_repeat_usage": 1} if n % 10 == 0 else {},
        }
        created = await api.post(f"{base}/rules", json=rule)
        created.raise_for_status()
        given = await api.post(
            f"{base}/rules/{created.json()['id']}/customers", json={"customers": ["/"]}
        )
        given.raise_for_status()


async def _prepare(
    api: httpx.AsyncClient,
    args: argparse.Namespace,
    make: Callable[[httpx.AsyncClient], Awaitable[str | None]],
) -> list[str]:
    gate = asyncio.Semaphore(args.concurrency)

    async def one() -> str | None:
        async with gate:
            return await make(api)

    made = await asyncio.gather(*(one() for _ in range(args.prepare)))
    return [m for m in made if m]


async def _new_draft(api: httpx.AsyncClient) -> str | None:
    response = await api.post("/draft_orders", json=DRAFT)
    return str(response.json()["id"]) if response.status_code == 200 else None


async def _authorized_order(api: httpx.AsyncClient) -> str | None:
    draft = await _new_draft(api)
    done = await api.put(f"/draft_orders/{draft}/complete")
    if done.status_code != 200:
        return None
    order = done.json()["orders"][0]["id"]
    authorized = await api.post(f"/orders/{order}/authorizations", json=AUTHORIZE)
    return str(order) if authorized.status_code == 200 else None


async def _measure(
    call: Callable[[int], Awaitable[httpx.Response] | None], args: argparse.Namespace
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10**9))
    stop = time.perf_counter() + args.seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            started = time.perf_counter()
            request = call(next(counter))
            if request is None:
                return
            response = await request
            if 200 <= response.status_code < 300:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pick(q: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "ok_rps": len(latencies) / elapsed,
        "p50_ms": pick(0.5),
        "p99_ms": pick(0.99),
        "errors": errors,
    }


if __name__ == "__main__":
    main()
