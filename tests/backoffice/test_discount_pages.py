"""Discount rules in the back office (SQLite and Postgres, over ASGI): read-only list and
detail pages fed by the Discounts API's own service calls."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.backoffice import discount_pages
from tests.backoffice.pages import signed_in
from tests.conftest import bearer
from tests.support.completion import another_account, complete
from tests.support.discounts import create_rule, give, rule_body
from tests.support.drafts import customer, draft_body, item

Json = dict[str, Any]
READER = "read:discounts"


@pytest.fixture
async def discounts(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/discounts",
        headers=bearer(app, account, "admin:discounts"),
    ) as client:
        yield client


async def buy_with_discount(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, customer_id: str
) -> None:
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers=bearer(app, account, "admin:shopping", "write:discounts"),
        params={"apply_discounts": "true"},
    ) as shop:
        body = draft_body(
            item(gross=10000, eligible_for_discount=True), customer=customer(id=customer_id)
        )
        created = await shop.post("/draft_orders", json=body)
        assert created.status_code == 200, created.text
        assert created.json()["order"]["total_discount"] == 2550
        completed = await complete(shop, created.json()["id"])
        assert completed.status_code == 200, completed.text


def main_of(html: str) -> str:
    return html.split("<main>", 1)[1]


async def test_rules_are_listed_in_human_terms_with_usage(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    amount_off = await create_rule(
        discounts,
        rule_body(
            {"type": "discount_amount", "value": 2550},
            requirement={"currencies": ["NOK"]},
            name="Spring sale",
        ),
    )
    await give(discounts, amount_off["id"], "/")
    await create_rule(discounts, rule_body(name="Ten percent club"))
    await buy_with_discount(transport, app, account, "c1")
    async with signed_in(transport, app, account, READER) as page:
        listed = await page.get("/backoffice/discount-rules")
    assert listed.status_code == 200
    assert 'href="/backoffice/discount-rules" aria-current="page"' in listed.text
    row = re.search(rf"<tr>\s*<td><a[^>]*{amount_off['id']}.*?</tr>", listed.text, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td.*?</td>", row.group(0), re.S)
    ]
    assert cells[0][:2] == ["Spring", "sale"]
    assert cells[1] == ["active"]
    assert " ".join(cells[2]).startswith("25.50 NOK off")
    assert " ".join(cells[3]) == ("2026-01-01 00:00:00 UTC → 2036-01-01 00:00:00 UTC")
    assert cells[4:] == [["1"], ["1", "customer"], ["25.50", "NOK"]]
    assert "10 % off" in listed.text
    assert "Ten percent club" in listed.text
    assert '<form method="post"' not in main_of(listed.text)


async def test_the_list_pages_with_a_cursor(
    transport: httpx.AsyncBaseTransport,
    app: FastAPI,
    account: str,
    discounts: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(discount_pages, "PAGE_SIZE", 2)
    ids = [(await create_rule(discounts, rule_body(name=f"Rule {n}")))["id"] for n in range(3)]
    async with signed_in(transport, app, account, READER) as page:
        first = await page.get("/backoffice/discount-rules")
        more = re.search(r'href="(\?starting_after=[^"]+)"', first.text)
        assert more is not None
        second = await page.get(f"/backoffice/discount-rules{more.group(1)}")
        assert "← First page" in second.text
        assert "Next page" not in second.text
        bad = await page.get("/backoffice/discount-rules?starting_after=no-such-rule")
        assert bad.status_code == 400
    shown_first = {i for i in ids if i in first.text}
    shown_second = {i for i in ids if i in second.text}
    assert len(shown_first) == 2
    assert len(shown_second) == 1
    assert shown_first | shown_second == set(ids)


async def test_the_state_filter_narrows_the_list(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    on = await create_rule(discounts, rule_body(name="Switched on"))
    off = await create_rule(discounts, rule_body(name="Switched off", active=False))
    async with signed_in(transport, app, account, READER) as page:
        inactive = await page.get("/backoffice/discount-rules", params={"state": "inactive"})
        assert off["id"] in inactive.text
        assert on["id"] not in inactive.text
        none = await page.get("/backoffice/discount-rules", params={"state": "deleted"})
        assert "No deleted discount rules" in none.text
        unknown = await page.get("/backoffice/discount-rules", params={"state": "bogus"})
        assert unknown.status_code == 400


async def test_a_rule_page_shows_requirement_reward_limitation_customers_and_usages(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    rule = await create_rule(
        discounts,
        rule_body(
            {"type": "discount_amount", "value": 2550},
            requirement={"currencies": ["NOK"], "gross_amount": 5000},
            limitation={"discount_repeat_usage": 3, "discount_combination": 0},
            name="Spring sale",
        ),
    )
    await give(discounts, rule["id"], "c1", "vip-42")
    await buy_with_discount(transport, app, account, "c1")
    async with signed_in(transport, app, account, READER) as page:
        shown = await page.get(f"/backoffice/discount-rules/{rule['id']}")
    assert shown.status_code == 200
    html = main_of(shown.text)
    assert "<h1>Spring sale</h1>" in html
    assert "25.50 NOK off" in html
    assert "<dt>Gross amount at least</dt><dd>50.00 NOK</dd>" in html
    assert "<dt>Uses per customer</dt><dd>3</dd>" in html
    assert "<dt>Combines with other rules</dt><dd>no</dd>" in html
    assert "vip-42" in html
    usages = html.split("<h2>Usages</h2>", 1)[1].split("</section>", 1)[0]
    assert '<td class="mono">c1</td><td class="num">1</td><td class="num">25.50 NOK</td>' in (
        usages
    )
    assert '<form method="post"' not in html


async def test_a_rule_given_to_no_one_and_unused_says_so(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    rule = await create_rule(discounts, rule_body({"type": "discount_amount", "value": 500}))
    async with signed_in(transport, app, account, READER) as page:
        shown = await page.get(f"/backoffice/discount-rules/{rule['id']}")
    assert "Not given to anyone yet" in shown.text
    assert "No purchase has used this rule yet." in shown.text
    assert "5.00 (purchase currency) off" in shown.text


async def test_an_empty_account_says_how_to_create_a_rule(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    async with signed_in(transport, app, account, READER) as page:
        home = await page.get("/backoffice")
        assert home.headers["location"] == "/backoffice/discount-rules"
        listed = await page.get("/backoffice/discount-rules")
    assert listed.status_code == 200
    assert "No discount rules" in listed.text
    assert f"POST /v1/accounts/{account}/discounts/rules</code>" in listed.text


async def test_a_client_without_a_discounts_scope_sees_no_link_and_is_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    rule = await create_rule(discounts, rule_body(name="Hidden from shop clients"))
    async with signed_in(transport, app, account, "admin:shopping") as page:
        orders = await page.get("/backoffice/orders")
        assert orders.status_code == 200
        assert "/backoffice/discount-rules" not in orders.text
        for path in ("/backoffice/discount-rules", f"/backoffice/discount-rules/{rule['id']}"):
            refused = await page.get(path)
            assert refused.status_code == 403, path
            assert "read:discounts" in refused.text
            assert "Hidden from shop clients" not in refused.text


async def test_another_accounts_rule_is_not_found(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    other = another_account()
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{other}/discounts",
        headers=bearer(app, other, "admin:discounts"),
    ) as theirs:
        rule = await create_rule(theirs, rule_body(name="Their secret sale"))
    async with signed_in(transport, app, account, READER) as page:
        for path in (
            f"/backoffice/discount-rules/{rule['id']}",
            "/backoffice/discount-rules/not%20an%20id",
        ):
            missing = await page.get(path)
            assert missing.status_code == 404, path
            assert "Their secret sale" not in missing.text
        listed = await page.get("/backoffice/discount-rules")
        assert rule["id"] not in listed.text


async def test_html_in_a_rule_is_escaped(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, discounts: httpx.AsyncClient
) -> None:
    script = "<script>alert(1)</script>"
    rule = await create_rule(
        discounts, rule_body(name=script, description=script, receipt_text=script)
    )
    await give(discounts, rule["id"], script)
    async with signed_in(transport, app, account, READER) as page:
        for path in ("/backoffice/discount-rules", f"/backoffice/discount-rules/{rule['id']}"):
            html = (await page.get(path)).text
            assert script not in html, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
