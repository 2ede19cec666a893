"""Scope names and which of them grant what (reference §10.24)."""

from __future__ import annotations

ADMIN_SHOPPING = "admin:shopping"
READ_SHOPPING = "read:shopping"
WRITE_SHOPPING = "write:shopping"
READ_ORDER_EVENTS = "read:shopping:/orders/ANY/events"
WRITE_ORDER_EVENTS = "write:shopping:/orders/ANY/events"

SHOPPING_READ = frozenset({ADMIN_SHOPPING, READ_SHOPPING})
SHOPPING_WRITE = frozenset({ADMIN_SHOPPING, WRITE_SHOPPING})
ORDER_EVENTS_READ = SHOPPING_READ | {READ_ORDER_EVENTS}
ORDER_EVENTS_WRITE = SHOPPING_WRITE | {WRITE_ORDER_EVENTS}

#: `apply_discounts=true` asks the discount engine and so needs one of these as well.
DISCOUNTS = frozenset(
    {"admin:discounts", "write:discounts", "write:discounts:/available_for_receipt"}
)

ADMIN_DISCOUNTS = "admin:discounts"
DISCOUNTS_READ = frozenset({ADMIN_DISCOUNTS, "read:discounts"})
DISCOUNTS_WRITE = frozenset({ADMIN_DISCOUNTS, "write:discounts"})
#: The public rule list also answers the public clients of a web shop.
DISCOUNTS_PUBLIC = DISCOUNTS_READ | {"public:discounts"}

HOOKS_READ = frozenset({"admin:hooks", "read:hooks"})
HOOKS_WRITE = frozenset({"admin:hooks", "write:hooks"})
BILLING_READ = frozenset({"admin:billing", "read:billing"})
BILLING_WRITE = frozenset({"admin:billing", "write:billing"})
CHECKOUT_READ = frozenset({"admin:checkout", "read:checkout"})
CHECKOUT_WRITE = frozenset({"admin:checkout", "write:checkout"})

KNOWN_SCOPES = (
    SHOPPING_READ
    | SHOPPING_WRITE
    | ORDER_EVENTS_READ
    | ORDER_EVENTS_WRITE
    | DISCOUNTS
    | DISCOUNTS_READ
    | DISCOUNTS_WRITE
    | DISCOUNTS_PUBLIC
    | HOOKS_READ
    | HOOKS_WRITE
    | BILLING_READ
    | BILLING_WRITE
    | CHECKOUT_READ
    | CHECKOUT_WRITE
)
