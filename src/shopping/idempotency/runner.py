"""Runs one write use case as one transaction, exactly once per `Idempotency-Key`.

Without a key the use case simply runs in a write transaction that commits before the
response is sent. With a key:

1. *Claim* (own short transaction): insert the key as `in_progress` with a lease. If the key
   exists: a different request under it is a 422; a completed one is replayed (original status
   and body, `Idempotent-Replayed: true`); one still in progress is waited for briefly and then
   answered with 409; an abandoned one (lease expired: the process died) is taken over.
2. *Run*: the use case and the storing of its response commit in the **same** transaction, so
   an effect never exists without its recorded outcome, nor the reverse.
3. A 4xx outcome (state conflicts, not found …) is stored as well, so retries see the same
   answer; an unexpected failure releases the claim so the request can be retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from shopping.db import Database
from shopping.db.unit_of_work import UnitOfWork
from shopping.errors import ShoppingError
from shopping.idempotency import repository as repo
from shopping.idempotency.errors import IdempotencyKeyReused, IdempotentRequestInProgress
from shopping.idempotency.policy import IdempotencyPolicy
from shopping.kit.clock import Clock
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall

Json = dict[str, Any]
UseCase = Callable[[UnitOfWork], Awaitable[Json]]
REPLAYED = "Idempotent-Replayed"
_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class _Replay:
    status_code: int
    body: Any


class _Busy:
    """The original request still holds the key."""


_BUSY = _Busy()


class WriteRunner:
    def __init__(self, db: Database, clock: Clock, policy: IdempotencyPolicy) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy

    async def run(self, call: ApiCall, use_case: UseCase) -> JsonResponse:
        if call.idempotency_key is None:
            async with self.db.write() as uow:
                body = await use_case(uow)
            return respond(body)
        replay = await self._claim_or_wait(call, call.idempotency_key)
        if replay is not None:
            return respond(replay.body, replay.status_code, replayed=True)
        return await self._run_claimed(call, call.idempotency_key, use_case)

    async def _run_claimed(self, call: ApiCall, key: str, use_case: UseCase) -> JsonResponse:
        try:
            async with self.db.write() as uow:
                body = await use_case(uow)
                await repo.complete(uow, call.account_id, key, 200, body)
        except ShoppingError as exc:
            if exc.status_code >= 500:
                await self._release(call, key)
            else:
                async with self.db.write() as uow:
                    await repo.complete(uow, call.account_id, key, exc.status_code, exc.body())
            raise
        except BaseException:
            await asyncio.shield(self._release(call, key))
            raise
        return respond(body)

    async def _claim_or_wait(self, call: ApiCall, key: str) -> _Replay | None:
        deadline = self.clock() + self.policy.wait
        while True:
            outcome = await self._claim(call, key)
            if not isinstance(outcome, _Busy):
                return outcome
            if self.clock() >= deadline:
                raise IdempotentRequestInProgress(key)
            await asyncio.sleep(_POLL_SECONDS)

    async def _claim(self, call: ApiCall, key: str) -> _Replay | _Busy | None:
        """None: claimed, run it. _Replay: answer with it. _Busy: the original still runs."""
        now = self.clock()
        times = {
            "now": now,
            "locked_until": now + self.policy.lease,
            "expires_at": now + self.policy.ttl,
        }
        async with self.db.write() as uow:
            if await repo.insert_claim(uow, call.account_id, key, call.request_hash, **times):
                return None
            stored = await repo.get(uow, call.account_id, key, lock=True)
            if stored is None:  # released between our insert and read: try again
                return _BUSY
            if stored.expires_at <= now:
                await repo.reclaim(uow, call.account_id, key, call.request_hash, **times)
                return None
            if stored.request_hash != call.request_hash:
                raise IdempotencyKeyReused(key)
            if stored.state == repo.COMPLETED:
                return _Replay(stored.status_code or 200, stored.response)
            if stored.locked_until <= now:  # the first attempt died mid-flight
                await repo.reclaim(uow, call.account_id, key, call.request_hash, **times)
                return None
            return _BUSY

    async def _release(self, call: ApiCall, key: str) -> None:
        async with self.db.write() as uow:
            await repo.release(uow, call.account_id, key)


def respond(body: Any, status_code: int = 200, *, replayed: bool = False) -> JsonResponse:
    headers = {REPLAYED: "true"} if replayed else {}
    if isinstance(body, dict) and isinstance(body.get("version"), int):
        headers["ETag"] = f'"{body["version"]}"'
    return JsonResponse(body, status_code=status_code, headers=headers)
