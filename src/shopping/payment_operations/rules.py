"""Pure ledger rules for payment operations (reference §10.17–§10.20).

Checked per order line under the order's row lock, on successful operations only, with
absolute values (a reversal line's amounts are all negative):

* authorized ≤ the line's net amount — with `multiple_authorizations` each authorization is
  its own budget;
* captured + cancelled ≤ authorized;
* refunded ≤ captured;

within one authorization when the order has `multiple_authorizations` (then captures, refunds
and cancellations must name it).
"""

from __future__ import annotations

from typing import Any

from shopping.payment_operations.errors import (
    AmountSignMismatch,
    DuplicateAuthorization,
    LedgerLimitExceeded,
    NetBelowAuthorized,
    OrderNotPayable,
    UnknownAuthorization,
    UnknownOrderLine,
)

Json = dict[str, Any]

AUTHORIZATION, CAPTURE, REFUND, CANCELLATION = "authorization", "capture", "refund", "cancellation"
#: operation kind → the order document's list of them (and the URL segment)
COLLECTIONS = {
    AUTHORIZATION: "authorizations",
    CAPTURE: "captures",
    REFUND: "refunds",
    CANCELLATION: "cancellations",
}


def counts(operation: Json) -> bool:
    """`success: false` operations are kept for the record but count for nothing."""
    return operation.get("success", True) is not False


def authorization_ids(order: Json) -> set[str]:
    return {
        str(op["authorization_id"])
        for op in order.get("authorizations") or ()
        if counts(op) and op.get("authorization_id") is not None
    }


def line_sums(order: Json, kind: str, authorization_id: str | None = None) -> dict[int, int]:
    """Σ |amount| per line over the successful operations of one kind (of one authorization)."""
    sums: dict[int, int] = {}
    for op in order.get(COLLECTIONS[kind]) or ():
        if not counts(op):
            continue
        if authorization_id is not None and _authorization_of(op) != authorization_id:
            continue
        for line in op.get("items") or ():
            sums[line["line_id"]] = sums.get(line["line_id"], 0) + abs(int(line["amount"]))
    return sums


def check_operation(
    order: Json,
    kind: str,
    lines: list[Json],
    *,
    authorization_id: str | None,
    success: bool,
    new_id: str,
) -> str | None:
    """Raise if the operation is not allowed; return the authorization it belongs to."""
    if order.get("status") == "cancelled" and kind != REFUND:
        raise OrderNotPayable(kind)
    nets = {item["line_id"]: int(item.get("net_amount", 0)) for item in order.get("items") or ()}
    for position, line in enumerate(lines):
        net = nets.get(line["line_id"])
        if net is None:
            raise UnknownOrderLine(line["line_id"], position)
        if (net > 0) != (line["amount"] > 0) or net == 0:
            raise AmountSignMismatch(line["line_id"], position)
    if kind == AUTHORIZATION:
        own_id = authorization_id or new_id
        if success:
            _check_authorization(order, lines, nets, own_id)
        return own_id
    scope = _authorization_scope(order, authorization_id)
    if success:
        _check_against_authorized(order, kind, lines, scope)
    return authorization_id


def _check_authorization(order: Json, lines: list[Json], nets: dict[int, int], own_id: str) -> None:
    if own_id in authorization_ids(order):
        raise DuplicateAuthorization(own_id)
    multiple = bool(order.get("multiple_authorizations"))
    authorized = {} if multiple else line_sums(order, AUTHORIZATION)
    for line in lines:
        line_id, requested = line["line_id"], abs(line["amount"])
        remaining = abs(nets[line_id]) - authorized.get(line_id, 0)
        if requested > remaining:
            raise LedgerLimitExceeded(AUTHORIZATION, line_id, requested, remaining, "to authorize")


def _authorization_scope(order: Json, authorization_id: str | None) -> str | None:
    """Which authorization's budget applies; None means the order's whole ledger."""
    known = authorization_ids(order)
    if order.get("multiple_authorizations") and authorization_id is None:
        raise UnknownAuthorization(None)
    if authorization_id is not None and authorization_id not in known:
        raise UnknownAuthorization(authorization_id)
    return authorization_id if order.get("multiple_authorizations") else None


def _check_against_authorized(order: Json, kind: str, lines: list[Json], scope: str | None) -> None:
    authorized = line_sums(order, AUTHORIZATION, scope)
    captured = line_sums(order, CAPTURE, scope)
    cancelled = line_sums(order, CANCELLATION, scope)
    refunded = line_sums(order, REFUND, scope)
    for line in lines:
        line_id, requested = line["line_id"], abs(line["amount"])
        if kind == REFUND:
            remaining = captured.get(line_id, 0) - refunded.get(line_id, 0)
            limit = "captured and not yet refunded"
        else:
            remaining = (
                authorized.get(line_id, 0) - captured.get(line_id, 0) - cancelled.get(line_id, 0)
            )
            limit = "authorized and not yet captured or cancelled"
        if requested > remaining:
            raise LedgerLimitExceeded(kind, line_id, requested, remaining, limit)


def _authorization_of(op: Json) -> str | None:
    """Authorizations always store their own id here (it defaults to the operation id)."""
    value = op.get("authorization_id")
    return str(value) if value is not None else None


def assert_ledger_fits(order: Json) -> None:
    """After a line's net amount changed (order update, merged draft): what is already
    authorized must still fit — with the line's sign, within its net (per authorization with
    `multiple_authorizations`); captures and refunds are bounded by authorizations alone."""
    if order.get("multiple_authorizations"):
        authorized: dict[int, int] = {}
        for authorization_id in authorization_ids(order):
            for line_id, used in line_sums(order, AUTHORIZATION, authorization_id).items():
                authorized[line_id] = max(authorized.get(line_id, 0), used)
    else:
        authorized = line_sums(order, AUTHORIZATION)
    signs = _authorized_signs(order)
    for item in order.get("items") or ():
        used = authorized.get(item["line_id"], 0)
        net = int(item.get("net_amount", 0))
        if used and (used > abs(net) or signs.get(item["line_id"]) != (net > 0)):
            raise NetBelowAuthorized(item["line_id"], net, used)


def _authorized_signs(order: Json) -> dict[int, bool]:
    """Per line: whether its successful authorizations are positive (all share one sign)."""
    signs: dict[int, bool] = {}
    for op in order.get("authorizations") or ():
        if counts(op):
            for line in op.get("items") or ():
                signs[line["line_id"]] = int(line["amount"]) > 0
    return signs
