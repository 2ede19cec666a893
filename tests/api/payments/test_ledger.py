"""The ledger limits of decision 18 and the 409s of decision 3 that concern payments.

Per order line, over successful operations only, with absolute values:
authorized ≤ net (per authorization with `multiple_authorizations`), captured + cancelled ≤
authorized, refunded ≤ captured. A refused operation names the line and what remains
(`error.line_id`, `error.remaining`) and leaves the order untouched.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.completion import patch_order_document
from tests.support.payments import (
    authorized_order,
    created,
    details,
    error,
    fetch,
    listed,
    order_with_lines,
    recomputed_details,
    record,
)

Json = dict[str, Any]


async def refused(
    api: httpx.AsyncClient,
    order_id: str,
    kind: str,
    amounts: dict[int, int],
    *,
    code: str = "AMOUNT_EXCEEDS_LIMIT",
    line_id: int | None = None,
    remaining: int | None = None,
    **fields: Any,
) -> Json:
    """Post an operation that must be refused with 409 `code`, changing nothing."""
    before = await fetch(api, order_id)
    response = await record(api, order_id, kind, amounts, **fields)
    assert response.status_code == 409, response.text
    problem = error(response)
    assert problem["code"] == code, problem
    if line_id is not None:
        assert problem["line_id"] == line_id, problem
        assert f"Line {line_id}" in problem["message"], problem
    if remaining is not None:
        assert problem["remaining"] == remaining, problem
        assert str(remaining) in re.findall(r"\d+", problem["message"]), problem
    assert await fetch(api, order_id) == before
    return problem


# ---- authorized ≤ line net ----------------------------------------------------------------


async def test_authorize_more_than_the_line_net(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    oid = order["id"]

    await refused(api, oid, "authorizations", {1: 10001}, line_id=1, remaining=10000)
    await created(api, oid, "authorizations", {1: 6000})
    await refused(api, oid, "authorizations", {1: 4001}, line_id=1, remaining=4000)
    await created(api, oid, "authorizations", {1: 4000})
    await refused(api, oid, "authorizations", {1: 1}, line_id=1, remaining=0)
    # line 2 has its own budget
    await refused(api, oid, "authorizations", {2: 5001}, line_id=2, remaining=5000)
    await created(api, oid, "authorizations", {2: 5000})
    assert (await fetch(api, oid))["payment_details"] == details(15000, authorized=15000)


async def test_one_line_over_the_limit_refuses_the_whole_operation(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))

    await refused(api, order["id"], "authorizations", {1: 100, 2: 5001}, line_id=2, remaining=5000)

    assert await listed(api, order["id"], "authorizations") == []


# ---- captured + cancelled ≤ authorized ---------------------------------------------------


async def test_capture_more_than_authorized_minus_captured_minus_cancelled(
    api: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    oid = order["id"]
    await refused(api, oid, "captures", {1: 1}, line_id=1, remaining=0)  # nothing authorized
    await created(api, oid, "authorizations", {1: 6000})
    await created(api, oid, "cancellations", {1: 1000})
    await created(api, oid, "captures", {1: 3000})

    await refused(api, oid, "captures", {1: 2001}, line_id=1, remaining=2000)
    await refused(api, oid, "captures", {2: 1}, line_id=2, remaining=0)
    await created(api, oid, "captures", {1: 2000})
    await refused(api, oid, "captures", {1: 1}, line_id=1, remaining=0)
    after = await fetch(api, oid)
    assert after["payment_details"] == details(
        15000, authorized=6000, captured=5000, cancelled=1000
    )


async def test_cancel_more_than_authorized_minus_captured_minus_cancelled(
    api: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    oid = order["id"]
    await refused(api, oid, "cancellations", {1: 1}, line_id=1, remaining=0)
    await created(api, oid, "authorizations", {1: 6000})
    await created(api, oid, "captures", {1: 2500})
    await created(api, oid, "cancellations", {1: 500})

    await refused(api, oid, "cancellations", {1: 3001}, line_id=1, remaining=3000)
    await created(api, oid, "cancellations", {1: 3000})
    await refused(api, oid, "cancellations", {1: 1}, line_id=1, remaining=0)
    await refused(api, oid, "captures", {1: 1}, line_id=1, remaining=0)
    assert (await fetch(api, oid))["payment_details"] == details(
        15000, authorized=6000, captured=2500, cancelled=3500
    )


# ---- refunded ≤ captured ------------------------------------------------------------------


async def test_refund_more_than_captured_minus_refunded(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000, 5000))
    oid = order["id"]
    await refused(api, oid, "refunds", {1: 1}, line_id=1, remaining=0)
    await created(api, oid, "captures", {1: 4000})
    await created(api, oid, "refunds", {1: 1500})

    await refused(api, oid, "refunds", {1: 2501}, line_id=1, remaining=2500)
    await refused(api, oid, "refunds", {2: 1}, line_id=2, remaining=0)
    await created(api, oid, "refunds", {1: 2500})
    await refused(api, oid, "refunds", {1: 1}, line_id=1, remaining=0)
    # refunding does not free the capture budget: captured 4000 of 10000 authorized
    await refused(api, oid, "captures", {1: 6001}, line_id=1, remaining=6000)


# ---- authorization ids --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["captures", "refunds", "cancellations"])
async def test_unknown_authorization_id(api: httpx.AsyncClient, kind: str) -> None:
    order = await authorized_order(api, (10000,))
    await created(api, order["id"], "captures", {1: 5000})

    problem = await refused(
        api, order["id"], kind, {1: 100}, code="UNKNOWN_AUTHORIZATION", authorization_id="nope"
    )
    assert "nope" in problem["message"]


async def test_a_failed_authorization_cannot_be_referenced(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000,))
    await created(api, order["id"], "authorizations", {1: 10000}, authorization_id="A")
    await created(
        api, order["id"], "authorizations", {1: 10000}, authorization_id="F", success=False
    )

    await refused(
        api, order["id"], "captures", {1: 100}, code="UNKNOWN_AUTHORIZATION", authorization_id="F"
    )
    await created(api, order["id"], "captures", {1: 100}, authorization_id="A")


async def test_duplicate_authorization_id(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    await created(api, order["id"], "authorizations", {1: 1000}, authorization_id="A")

    problem = await refused(
        api,
        order["id"],
        "authorizations",
        {2: 1000},
        code="DUPLICATE_AUTHORIZATION",
        authorization_id="A",
    )
    assert "A" in problem["message"]


# ---- multiple_authorizations --------------------------------------------------------------


async def multi_order(api: httpx.AsyncClient, amounts: tuple[int, ...] = (10000, 5000)) -> Json:
    order = await order_with_lines(api, amounts, multiple_authorizations=True)
    assert order["multiple_authorizations"] is True
    return order


@pytest.mark.parametrize("kind", ["captures", "refunds", "cancellations"])
async def test_multiple_authorizations_require_an_authorization_id(
    api: httpx.AsyncClient, kind: str
) -> None:
    order = await multi_order(api)
    await created(api, order["id"], "authorizations", {1: 10000}, authorization_id="A")
    await created(api, order["id"], "captures", {1: 5000}, authorization_id="A")

    problem = await refused(api, order["id"], kind, {1: 100}, code="UNKNOWN_AUTHORIZATION")
    assert "authorization_id" in problem["message"]
    await refused(
        api, order["id"], kind, {1: 100}, code="UNKNOWN_AUTHORIZATION", authorization_id="B"
    )
    await created(api, order["id"], kind, {1: 100}, authorization_id="A")


async def test_each_authorization_is_its_own_budget_up_to_the_line_net(
    api: httpx.AsyncClient,
) -> None:
    order = await multi_order(api)
    oid = order["id"]

    await created(api, oid, "authorizations", {1: 10000}, authorization_id="A")
    await created(api, oid, "authorizations", {1: 10000, 2: 5000}, authorization_id="B")
    await refused(
        api, oid, "authorizations", {1: 10001}, line_id=1, remaining=10000, authorization_id="C"
    )
    await refused(
        api, oid, "authorizations", {2: 5001}, line_id=2, remaining=5000, authorization_id="C"
    )
    plain = await created(api, oid, "authorizations", {2: 5000})  # its own id is its key
    assert plain["authorization_id"] == plain["id"]
    await created(api, oid, "captures", {2: 5000}, authorization_id=plain["id"])


async def test_limits_apply_within_each_authorization(api: httpx.AsyncClient) -> None:
    order = await multi_order(api)
    oid = order["id"]
    await created(api, oid, "authorizations", {1: 6000}, authorization_id="A")
    await created(api, oid, "authorizations", {1: 3000, 2: 2000}, authorization_id="B")

    await created(api, oid, "captures", {1: 6000}, authorization_id="A")
    await refused(api, oid, "captures", {1: 1}, line_id=1, remaining=0, authorization_id="A")
    await refused(api, oid, "captures", {1: 3001}, line_id=1, remaining=3000, authorization_id="B")
    await created(api, oid, "cancellations", {1: 1000}, authorization_id="B")
    await refused(api, oid, "captures", {1: 2001}, line_id=1, remaining=2000, authorization_id="B")
    await refused(
        api, oid, "cancellations", {1: 2001}, line_id=1, remaining=2000, authorization_id="B"
    )
    await refused(api, oid, "captures", {2: 1}, line_id=2, remaining=0, authorization_id="A")
    await created(api, oid, "captures", {1: 2000, 2: 2000}, authorization_id="B")
    await refused(api, oid, "refunds", {1: 6001}, line_id=1, remaining=6000, authorization_id="A")
    await refused(api, oid, "refunds", {2: 1}, line_id=2, remaining=0, authorization_id="A")
    await created(api, oid, "refunds", {1: 6000}, authorization_id="A")
    await refused(api, oid, "refunds", {1: 2001}, line_id=1, remaining=2000, authorization_id="B")
    await created(api, oid, "refunds", {1: 2000, 2: 2000}, authorization_id="B")

    after = await fetch(api, oid)
    assert after["payment_details"] == details(
        15000, authorized=11000, captured=10000, cancelled=1000, refunded=10000
    )
    assert after["payment_details"] == recomputed_details(after)
    assert after["payment_status"] == "refunded"


async def test_duplicate_authorization_id_with_multiple_authorizations(
    api: httpx.AsyncClient,
) -> None:
    order = await multi_order(api)
    await created(api, order["id"], "authorizations", {1: 1000}, authorization_id="A")

    await refused(
        api,
        order["id"],
        "authorizations",
        {1: 1000},
        code="DUPLICATE_AUTHORIZATION",
        authorization_id="A",
    )


async def test_without_multiple_authorizations_an_authorization_id_is_optional(
    api: httpx.AsyncClient,
) -> None:
    """A single-authorization order checks captures against everything authorized on the line,
    whichever authorization they name."""
    order = await order_with_lines(api, (10000,))
    await created(api, order["id"], "authorizations", {1: 4000}, authorization_id="A")
    await created(api, order["id"], "authorizations", {1: 6000}, authorization_id="B")

    await created(api, order["id"], "captures", {1: 7000}, authorization_id="A")
    await created(api, order["id"], "captures", {1: 3000})
    await refused(api, order["id"], "captures", {1: 1}, line_id=1, remaining=0)


# ---- cancelled orders ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["authorizations", "captures", "cancellations"])
async def test_a_cancelled_order_takes_no_new_payment_operations(
    api: httpx.AsyncClient, kind: str
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    await created(api, order["id"], "authorizations", {1: 5000})
    cancelled = await api.post(f"/orders/{order['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"

    problem = await refused(api, order["id"], kind, {1: 100}, code="ORDER_CANCELLED")
    assert "cancelled" in problem["message"]


async def test_a_cancelled_order_still_takes_refunds(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    """The cancel endpoint refuses an order with unrefunded captures, so the captured money
    of a cancelled order is planted directly (an order cancelled by an earlier version)."""
    order = await authorized_order(api, (10000,))
    await created(api, order["id"], "captures", {1: 4000})
    await patch_order_document(app, account, order["id"], status="cancelled")

    await refused(api, order["id"], "captures", {1: 100}, code="ORDER_CANCELLED")
    refund = await created(api, order["id"], "refunds", {1: 1500})

    after = await fetch(api, order["id"])
    assert after["status"] == "cancelled"
    assert after["refunds"][-1]["id"] == refund["id"]
    assert after["payment_details"] == details(10000, 10000, captured=4000, refunded=1500)
    await refused(api, order["id"], "refunds", {1: 2501}, line_id=1, remaining=2500)


async def test_refunds_on_a_cancelled_order_are_checked_by_the_ledger_not_the_status(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000,))
    await created(api, order["id"], "captures", {1: 4000})
    await created(api, order["id"], "refunds", {1: 4000})
    assert (await api.post(f"/orders/{order['id']}/cancel", json={})).status_code == 200

    await refused(api, order["id"], "refunds", {1: 1}, line_id=1, remaining=0)
    failed = await created(api, order["id"], "refunds", {1: 1}, success=False)
    assert failed["success"] is False


# ---- success: false ---------------------------------------------------------------------


async def test_failed_operations_are_stored_but_count_for_nothing(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    oid = order["id"]

    failed_auth = await created(api, oid, "authorizations", {1: 10000, 2: 5000}, success=False)
    assert failed_auth["success"] is False
    after = await fetch(api, oid)
    assert after["payment_status"] == "pending"
    assert after["payment_details"] == details(15000)
    assert after["authorizations"] == [{k: v for k, v in failed_auth.items() if k != "_links"}]
    assert await listed(api, oid, "authorizations") == [failed_auth]
    await refused(api, oid, "captures", {1: 1}, line_id=1, remaining=0)

    await created(api, oid, "authorizations", {1: 10000, 2: 5000})  # budget not used up
    failed_capture = await created(api, oid, "captures", {1: 10000}, success=False)
    after = await fetch(api, oid)
    assert after["payment_status"] == "pending"
    assert after["payment_details"] == details(15000, authorized=15000)
    assert await listed(api, oid, "captures") == [failed_capture]

    await created(api, oid, "captures", {1: 10000, 2: 5000})
    await created(api, oid, "refunds", {2: 5000}, success=False)
    await created(api, oid, "cancellations", {1: 1}, success=False)
    after = await fetch(api, oid)
    assert after["payment_status"] == "paid"
    assert after["payment_details"] == details(15000, authorized=15000, captured=15000)
    assert after["payment_details"] == recomputed_details(after)
    await created(api, oid, "refunds", {2: 5000})
    assert (await fetch(api, oid))["payment_status"] == "partially_refunded"


async def test_failed_operations_still_need_known_lines_with_the_right_sign(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000,))
    for amounts in ({9: 100}, {1: -100}):
        response = await record(api, order["id"], "captures", amounts, success=False)
        assert response.status_code == 400, response.text


# ---- reversal lines ---------------------------------------------------------------------


async def test_reversal_lines_compare_absolute_values(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, -2000))
    oid = order["id"]
    assert [line["net_amount"] for line in order["items"]] == [10000, -2000]
    assert order["net_amount"] == 8000

    await refused(api, oid, "authorizations", {2: -2001}, line_id=2, remaining=2000)
    auth = await created(api, oid, "authorizations", {2: -2000})
    assert auth["amount"] == -2000
    await refused(api, oid, "authorizations", {2: -1}, line_id=2, remaining=0)
    await created(api, oid, "captures", {2: -1500})
    await refused(api, oid, "captures", {2: -501}, line_id=2, remaining=500)
    await refused(api, oid, "cancellations", {2: -501}, line_id=2, remaining=500)
    await refused(api, oid, "refunds", {2: -1501}, line_id=2, remaining=1500)
    await created(api, oid, "refunds", {2: -1500})

    after = await fetch(api, oid)
    assert after["payment_details"] == details(
        8000, authorized=-2000, captured=-1500, refunded=-1500
    )
    assert after["payment_details"] == recomputed_details(after)


async def test_an_order_with_a_reversal_line_is_paid_in_full(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, -2000))
    oid = order["id"]
    await created(api, oid, "authorizations", {1: 10000, 2: -2000})
    capture = await created(api, oid, "captures", {1: 10000, 2: -2000})
    assert capture["amount"] == 8000

    after = await fetch(api, oid)
    assert after["payment_status"] == "paid"
    assert after["payment_details"] == details(8000, 8000, captured=8000)
    await created(api, oid, "refunds", {1: 10000, 2: -2000})
    assert (await fetch(api, oid))["payment_status"] == "refunded"
