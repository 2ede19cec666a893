"""Which payout rule applies to an order item (reference §4, decision §10.22). Pure.

1. `item.dynamic_payout {rule_type, rule_id}` names the rule directly;
2. otherwise `options.payout.resolve_rule_id` is a dotted path into the item
   (`order.items.store.id` → `item.store.id`) whose value is the rule id, and
   `resolve_rule_type` (default: the path itself) the rule type; the legacy
   `options.payout: true` means the path `order.items.store.id`;
3. inline `options.payout.rules` are looked up before stored rules.
No rule → no payout on that line.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
LEGACY_PATH = "order.items.store.id"
_ITEM_PREFIX = "order.items."


def rule_reference(item: Json, payout_options: Any) -> tuple[str, str] | None:
    """(rule_type, rule_id) for the item, or None when no rule is asked for."""
    dynamic = item.get("dynamic_payout")
    if isinstance(dynamic, dict) and dynamic.get("rule_type") and dynamic.get("rule_id"):
        return str(dynamic["rule_type"]), str(dynamic["rule_id"])
    if payout_options is True:
        path, rule_type = LEGACY_PATH, LEGACY_PATH
    elif isinstance(payout_options, dict) and payout_options.get("resolve_rule_id"):
        path = str(payout_options["resolve_rule_id"])
        rule_type = str(payout_options.get("resolve_rule_type") or path)
    else:
        return None
    value = value_at(item, path)
    if value is None or isinstance(value, dict | list):
        return None
    return rule_type, str(value)


def value_at(item: Json, path: str) -> Any:
    """Follow a dotted path into the item; `order.items.` (the item itself) is optional."""
    relative = path.removeprefix(_ITEM_PREFIX)
    node: Any = item
    for part in relative.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def inline_rule(payout_options: Any, rule_type: str, rule_id: str) -> Json | None:
    """The newest inline rule with this type and id."""
    if not isinstance(payout_options, dict):
        return None
    matches = [
        rule
        for rule in payout_options.get("rules") or ()
        if rule.get("rule_type") == rule_type and rule.get("rule_id") == rule_id
    ]
    return max(matches, key=lambda rule: rule.get("rule_version") or 0, default=None)
