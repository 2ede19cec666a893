"""Discounts API use cases: rules, the customers they are given to, and their usages.
Services never commit: the route's unit of work does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.discounts import repository as repo
from shopping.discounts import usage_repository as usage_repo
from shopping.discounts.cache import RuleCache
from shopping.discounts.errors import (
    CursorWithSince,
    DiscountRuleDeleted,
    DiscountRuleInUse,
    DiscountRuleNotFound,
    InvalidDiscountCursor,
)
from shopping.discounts.receipts import price_receipt
from shopping.discounts.rules import rule_targets
from shopping.discounts.schemas import CustomersGive, DiscountRuleWrite, Receipt
from shopping.discounts.states import state_conditions
from shopping.kit.clock import Clock, isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall

Json = dict[str, Any]
#: Terms of a rule that purchases were priced by: fixed once it is used.
TERMS = ("requirement", "reward", "limitation")
PUBLIC_HIDDEN_PREFIX = "dintero:exclude:public:"


class DiscountRules:
    def __init__(self, clock: Clock, cache: RuleCache | None = None) -> None:
        self.clock = clock
        self.cache = cache or RuleCache()

    # ---- rules -------------------------------------------------------------------------------
    async def create(self, uow: UnitOfWork, call: ApiCall, body: DiscountRuleWrite) -> Json:
        now, rule_id = self.clock(), new_uuid()
        document = {
            "id": rule_id,
            **_content(body),
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "updated_at": isoformat(now),
            "updated_by": call.principal.client_id,
        }
        await repo.insert_rule(
            uow,
            call.account_id,
            {"id": rule_id, "created_at": now, **_columns(body, document, now)},
        )
        await repo.replace_targets(
            uow, call.account_id, rule_id, rule_targets(content_of(document))
        )
        return document

    async def get(self, uow: UnitOfWork, call: ApiCall, rule_id: str) -> Json:
        return (await self._record(uow, call, rule_id)).document

    async def list_rules(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        filters: repo.RuleFilters,
        *,
        starting_after: str | None,
        limit: int,
        statistics: bool,
    ) -> list[Json]:
        if starting_after is not None and filters.since is not None:
            raise CursorWithSince()
        after = None
        if starting_after is not None:
            after = await repo.position(uow, call.account_id, starting_after)
            if after is None:
                raise InvalidDiscountCursor(starting_after)
        conditions = state_conditions(filters.state, self.clock())
        records = await repo.list_rules(
            uow, call.account_id, filters, conditions, after=after, limit=limit
        )
        rules = [record.document for record in records]
        return await self._with_statistics(uow, call, rules) if statistics else rules

    async def update(
        self, uow: UnitOfWork, call: ApiCall, rule_id: str, body: DiscountRuleWrite
    ) -> Json:
        record = await self._record(uow, call, rule_id, lock=True)
        if record.deleted_at is not None:
            raise DiscountRuleDeleted(rule_id)
        current, content = record.document, _content(body)
        if record.used:
            _assert_terms_kept(rule_id, current, content)
        now = self.clock()
        document = {
            **{k: current[k] for k in ("id", "created_at", "created_by")},
            **content,
            "updated_at": isoformat(now),
            "updated_by": call.principal.client_id,
        }
        await repo.update_rule(uow, call.account_id, rule_id, _columns(body, document, now))
        await repo.replace_targets(
            uow, call.account_id, rule_id, rule_targets(content_of(document))
        )
        return document

    async def delete(self, uow: UnitOfWork, call: ApiCall, rule_id: str) -> Json:
        record = await self._record(uow, call, rule_id, lock=True)
        if record.deleted_at is not None:
            raise DiscountRuleDeleted(rule_id)
        now = self.clock()
        document = {
            **record.document,
            "deleted_at": isoformat(now),
            "deleted_by": call.principal.client_id,
        }
        requirement = document["requirement"]
        await repo.update_rule(
            uow,
            call.account_id,
            rule_id,
            {
                "active": bool(document.get("active", True)),
                "private": bool(document.get("private", False)),
                "purchase_from": _moment(requirement["purchase_from"]),
                "purchase_to": _moment(requirement["purchase_to"]),
                "updated_at": now,
                "deleted_at": now,
                "document": document,
            },
        )
        return document

    # ---- customers -----------------------------------------------------------------------------
    async def give(self, uow: UnitOfWork, call: ApiCall, rule_id: str, body: CustomersGive) -> Json:
        record = await self._record(uow, call, rule_id, lock=True)
        if record.deleted_at is not None:
            raise DiscountRuleDeleted(rule_id)
        customers = list(dict.fromkeys(body.customers))
        existing = await repo.given(uow, call.account_id, rule_id, customers)
        now, by = self.clock(), call.principal.client_id
        for row in existing.values():
            if row.deleted_at is not None:
                await repo.revive_ref(uow, call.account_id, row.id, now)
        fresh = [
            {
                "id": new_uuid(),
                "rule_id": rule_id,
                "customer_id": customer_id,
                "created_at": now,
                "created_by": by,
                "updated_at": now,
            }
            for customer_id in customers
            if customer_id not in existing
        ]
        await repo.insert_refs(uow, call.account_id, fresh)
        return record.document

    async def customer_refs(
        self,
        uow: UnitOfWork,
        call: ApiCall,
        rule_id: str,
        *,
        state: str,
        starting_after: str | None,
        limit: int,
    ) -> list[Json]:
        await self._record(uow, call, rule_id)
        after = None
        if starting_after is not None:
            after = await repo.ref_position(uow, call.account_id, rule_id, starting_after)
            if after is None:
                raise InvalidDiscountCursor(starting_after)
        rows = await repo.list_refs(
            uow, call.account_id, rule_id, state=state, after=after, limit=limit
        )
        return [_ref(row) for row in rows]

    async def usages(self, uow: UnitOfWork, call: ApiCall, rule_id: str) -> list[Json]:
        await self._record(uow, call, rule_id)
        counters, history = await usage_repo.usages(uow, call.account_id, rule_id)
        by_customer: dict[str, list[Json]] = {}
        for ref in history:
            by_customer.setdefault(ref.customer_id, []).append(
                {
                    "ref": ref.ref,
                    "ref_type": ref.ref_type,
                    "usage": ref.usage,
                    "stamp": 0,
                    "amount": ref.amount,
                    "created_at": isoformat(ref.created_at),
                    "created_by": ref.created_by,
                }
            )
        return [
            {
                "id": row.id,
                "ref_id": row.ref_id,
                "discount_id": rule_id,
                "customer_id": row.customer_id,
                "create_at": isoformat(row.created_at),  # sic: Dintero's spelling
                "updated_at": isoformat(row.updated_at),
                "created_by": row.created_by,
                "usage_refs": by_customer.get(row.customer_id, []),
                "statistics": {"usage": row.usage, "amount": row.amount, "stamp": 0},
            }
            for row in counters
        ]

    async def rules_of_customer(
        self, uow: UnitOfWork, call: ApiCall, customer_id: str, *, public_only: bool = False
    ) -> list[Json]:
        rows = await repo.customer_rules(
            uow, call.account_id, customer_id, public_only=public_only, now=self.clock()
        )
        seen: dict[str, Json] = {}
        for row in rows:
            seen.setdefault(row.document["id"], row.document)
        return list(seen.values())

    async def public_rules(self, uow: UnitOfWork, call: ApiCall, *, limit: int) -> list[Json]:
        """Rules given to everyone, not private, usable now or visible before they start."""
        now = self.clock()
        rules = await self.rules_of_customer(uow, call, "/", public_only=True)
        out = []
        for rule in rules:
            starts = _moment(rule["requirement"]["purchase_from"])
            visible = rule.get("visible_from")
            if starts <= now or (visible is not None and _moment(visible) <= now):
                out.append(_public(rule))
        return out[:limit]

    async def available_for_receipt(self, uow: UnitOfWork, call: ApiCall, receipt: Receipt) -> Json:
        return await price_receipt(uow, call.account_id, receipt, self.clock(), self.cache)

    # ---- internals -----------------------------------------------------------------------------
    async def _record(
        self, uow: UnitOfWork, call: ApiCall, rule_id: str, *, lock: bool = False
    ) -> repo.RuleRecord:
        record = await repo.get_rule(uow, call.account_id, rule_id, lock=lock)
        if record is None:
            raise DiscountRuleNotFound(rule_id)
        return record

    async def _with_statistics(
        self, uow: UnitOfWork, call: ApiCall, rules: list[Json]
    ) -> list[Json]:
        stats = await usage_repo.statistics(uow, call.account_id, [rule["id"] for rule in rules])
        empty = {"usage": 0, "amount": 0, "customers": 0}
        return [{**rule, "statistics": stats.get(rule["id"], empty)} for rule in rules]


def content_of(document: Json) -> Json:
    return dict(document.get("requirement") or {})


def _content(body: DiscountRuleWrite) -> Json:
    content = body.to_document()
    content["type"] = "item" if body.requirement.item is not None else "receipt"
    content.setdefault("limitation", {})
    return content


def _columns(body: DiscountRuleWrite, document: Json, now: datetime) -> Json:
    purchase_from, purchase_to = body.window
    return {
        "active": body.active,
        "private": body.private,
        "purchase_from": purchase_from,
        "purchase_to": purchase_to,
        "updated_at": now,
        "deleted_at": None,
        "document": document,
    }


def _assert_terms_kept(rule_id: str, current: Json, content: Json) -> None:
    changed = []
    for term in TERMS:
        before, after = dict(current.get(term) or {}), dict(content.get(term) or {})
        if term == "requirement":
            moved_later = _moment(after["purchase_to"]) >= _moment(before["purchase_to"])
            if moved_later:  # the one documented change of a used rule's terms
                before.pop("purchase_to"), after.pop("purchase_to")
        if before != after:
            changed.append(term)
    if changed:
        raise DiscountRuleInUse(rule_id, changed)


def _ref(row: Any) -> Json:
    out: Json = {
        "id": row.id,
        "customer_id": row.customer_id,
        "created_at": isoformat(row.created_at),
        "created_by": row.created_by,
        "updated_at": isoformat(row.updated_at),
    }
    if row.deleted_at is not None:
        out["deleted_at"] = isoformat(row.deleted_at)
        out["deleted_by"] = row.deleted_by
    return out


def _public(rule: Json) -> Json:
    metadata = rule.get("metadata")
    if not metadata:
        return rule
    kept = {k: v for k, v in metadata.items() if not k.startswith(PUBLIC_HIDDEN_PREFIX)}
    return {**rule, "metadata": kept}


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
