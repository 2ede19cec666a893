"""Stored payout rules (Billing API) and the payouts of order items at completion."""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import Clock, isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.payouts import repository as repo
from shopping.payouts.errors import (
    PayoutNotSplittable,
    PayoutRuleDeleted,
    PayoutRuleExists,
    PayoutRuleKeyChanged,
    PayoutRuleNotFound,
)
from shopping.payouts.evaluator import PayoutSplitError
from shopping.payouts.lines import item_payout
from shopping.payouts.resolution import inline_rule, rule_reference
from shopping.payouts.schemas import PayoutRuleWrite

Json = dict[str, Any]


class PayoutRules:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    # ---- the Billing API -----------------------------------------------------------------
    async def create(self, uow: UnitOfWork, call: ApiCall, body: PayoutRuleWrite) -> Json:
        data = body.to_document()
        existing = await repo.latest_by_key(
            uow, call.account_id, data["rule_type"], data["rule_id"]
        )
        if existing is not None and existing[1] is None:
            raise PayoutRuleExists(data["rule_type"], data["rule_id"])
        # A key whose rule was deleted may be used again; its versions keep counting, so
        # (rule_type, rule_id, rule_version) — what an item's payout records — stays unique.
        version = existing[0]["rule_version"] + 1 if existing is not None else 1
        return await self._store(uow, call, {**data, "id": new_uuid()}, version=version)

    async def update(
        self, uow: UnitOfWork, call: ApiCall, rule_uuid: str, body: PayoutRuleWrite
    ) -> Json:
        current = await self._current(uow, call, rule_uuid, lock=True)
        data = body.to_document()
        if (data["rule_type"], data["rule_id"]) != (current["rule_type"], current["rule_id"]):
            raise PayoutRuleKeyChanged()
        return await self._store(
            uow, call, {**data, "id": rule_uuid}, version=current["rule_version"] + 1
        )

    async def delete(self, uow: UnitOfWork, call: ApiCall, rule_uuid: str) -> Json:
        current = await self._current(uow, call, rule_uuid, lock=True)
        now = self.clock()
        await repo.mark_deleted(uow, call.account_id, rule_uuid, now)
        return {**current, "deleted_at": isoformat(now)}

    async def get(self, uow: UnitOfWork, call: ApiCall, rule_uuid: str) -> Json:
        found = await repo.latest_by_id(uow, call.account_id, rule_uuid)
        if found is None:
            raise PayoutRuleNotFound(rule_uuid)
        return _with_deleted(*found)

    async def list_rules(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        *,
        rule_type: str | None,
        rule_id: str | None,
        include_deleted: bool,
    ) -> list[Json]:
        rows = await repo.list_latest(
            uow,
            call.account_id,
            rule_type=rule_type,
            rule_id=rule_id,
            include_deleted=include_deleted,
        )
        return [_with_deleted(rule, deleted_at) for rule, deleted_at in rows]

    # ---- completion ----------------------------------------------------------------------
    async def with_item_payouts(
        self, uow: UnitOfWork, account_id: str, items: list[Json], payout_options: Any
    ) -> list[Json]:
        """The items, each with `payout` when a rule applies (split over its net amount)."""
        out = []
        for item in items:
            reference = rule_reference(item, payout_options)
            rule = await self._resolve(uow, account_id, reference, payout_options)
            if rule is None:
                out.append({k: v for k, v in item.items() if k != "payout"})
                continue
            try:
                payout = item_payout(rule, int(item["net_amount"]))
            except PayoutSplitError as exc:
                raise PayoutNotSplittable(item["line_id"], rule.get("rule_id"), str(exc)) from exc
            out.append({**item, "payout": payout})
        return out

    async def _resolve(
        self,
        uow: UnitOfWork,
        account_id: str,
        reference: tuple[str, str] | None,
        payout_options: Any,
    ) -> Json | None:
        if reference is None:
            return None
        rule = inline_rule(payout_options, *reference)
        if rule is not None:
            return rule
        stored = await repo.latest_by_key(uow, account_id, *reference)
        return stored[0] if stored is not None and stored[1] is None else None

    # ---- internals -----------------------------------------------------------------------
    async def _current(self, uow: UnitOfWork, call: ApiCall, rule_uuid: str, *, lock: bool) -> Json:
        found = await repo.latest_by_id(uow, call.account_id, rule_uuid, lock=lock)
        if found is None:
            raise PayoutRuleNotFound(rule_uuid)
        if found[1] is not None:
            raise PayoutRuleDeleted(rule_uuid)
        return found[0]

    async def _store(self, uow: UnitOfWork, call: ApiCall, data: Json, *, version: int) -> Json:
        now = self.clock()
        rule = {
            **data,
            "account_id": call.account_id,
            "rule_version": version,
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
        }
        if not await repo.insert_version(uow, call.account_id, rule, now):
            raise PayoutRuleExists(rule["rule_type"], rule["rule_id"])
        return rule


def _with_deleted(rule: Json, deleted_at: Any) -> Json:
    return {**rule, "deleted_at": isoformat(deleted_at)} if deleted_at is not None else rule
