"""What the documentation says about each payment-operation kind: the routes are generated
from one set of handlers, so their summaries and descriptions are written out here."""

from __future__ import annotations

from dataclasses import dataclass

from shopping.payment_operations.rules import AUTHORIZATION, CANCELLATION, CAPTURE, REFUND


@dataclass(frozen=True)
class KindText:
    article: str  # "an authorization"
    meaning: str  # what the operation means for the money
    limit: str  # the ledger rule a successful one must keep


KIND_TEXTS = {
    AUTHORIZATION: KindText(
        "an authorization",
        "a payment system reserved an amount on the customer's means of payment",
        "A successful authorization may not take a line past its net amount (with the order's "
        "`multiple_authorizations`, each authorization has the whole net amount as its own "
        "budget). Its `authorization_id` defaults to the operation's `id`; one already used by a "
        "successful authorization is a 409 `DUPLICATE_AUTHORIZATION`.",
    ),
    CAPTURE: KindText(
        "a capture",
        "a payment system took an authorized amount",
        "A successful capture may take only what is authorized and not yet captured or "
        "cancelled, per line.",
    ),
    REFUND: KindText(
        "a refund",
        "a payment system paid a captured amount back",
        "A successful refund may pay back only what is captured and not yet refunded, per line. "
        "Refunds are the one kind a cancelled order still accepts.",
    ),
    CANCELLATION: KindText(
        "a cancellation",
        "a payment system released an authorized amount that will not be captured",
        "A successful cancellation may release only what is authorized and not yet captured "
        "or cancelled, per line.",
    ),
}

COMMON_RULES = (
    "The API moves no money: it keeps the order's ledger of what the payment system did, "
    "and refuses a record that would break it.\n\n"
    "Each line's amount is in minor units, has the sign of the line's net amount (negative "
    "on a reversal line) and is never zero; an unknown `line_id` or a wrong sign is a 400. "
    "A line beyond the ledger's limit is a 409 `AMOUNT_EXCEEDS_LIMIT` naming the line and "
    "what remains. `success: false` records a failed attempt: it is kept and shown but "
    "counts for nothing, so it is not checked against the ledger."
)
DRAWS_ON_AUTHORIZATION = (
    "`authorization_id` names the successful authorization the operation draws on; it is "
    "required when the order has `multiple_authorizations`, and the limits are then that "
    "authorization's. A missing (where required) or unknown one is a 409 "
    "`UNKNOWN_AUTHORIZATION`."
)
EFFECTS = (
    "Lines with a payout rule get their `payout`: the rule applied to the line's amount (a "
    "rule that cannot split it is a 409 `PAYOUT_SPLIT_FAILED`). "
    "The order's `version` goes up by one, its `payment_details` and `payment_status` are "
    "recomputed, an `api-event` is added to it and `shopping_order_update` is sent."
)


def create_summary(kind: str) -> str:
    return f"Record {KIND_TEXTS[kind].article}"


def create_description(kind: str) -> str:
    text = KIND_TEXTS[kind]
    rules = [] if kind == AUTHORIZATION else [DRAWS_ON_AUTHORIZATION]
    if kind != REFUND:
        rules.append(f"A cancelled order accepts no new {kind} (409 `ORDER_CANCELLED`).")
    return (
        f"Records that {text.meaning}, for some of the order's lines. {text.limit}\n\n"
        f"{' '.join(rules)}\n\n{COMMON_RULES}\n\n{EFFECTS}"
    )


def list_summary(collection: str) -> str:
    return f"List the order's {collection}"


def list_description(kind: str) -> str:
    return (
        f"Every {kind} recorded on the order, oldest first, failed ones (`success: false`) "
        "included."
    )


def get_summary(kind: str) -> str:
    return f"Get {KIND_TEXTS[kind].article}"


def get_description(kind: str) -> str:
    found_by = (
        "by its `id` or its `authorization_id` (when several operations share one, the "
        "successful one)"
        if kind == AUTHORIZATION
        else "by its `id`"
    )
    return f"One {kind} recorded on the order, found {found_by}."
