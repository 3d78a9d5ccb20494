"""提出する on a half-answered sheet: the list of unanswered items (each named with its element) follows
the answers as the script saves them and goes once all are answered; then the confirmation page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from bansou.checks.models import Check
from tests.browser.conftest import Visit, shot

pytestmark = pytest.mark.browser


def test_the_unanswered_list_follows_the_answers_and_submitting_asks_first(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="セルフチェックを始める").click()
    page.wait_for_url("**/checks/drafts/**")
    page.wait_for_load_state("load")
    for code in ("2-1", "2-2"):
        page.locator(f'fieldset[data-item="{code}"][data-axis="understanding"]').get_by_label("はい").check()
    expect(page.locator("#save-status")).to_have_text(re.compile("保存しました"))

    page.get_by_role("button", name="提出する").click()
    summary = page.get_by_role("alert").filter(has_text="まだ回答していない項目があります")
    expect(summary).to_contain_text("未回答：45 項目（全 45 項目中）")
    link = summary.get_by_role("link", name="2 関係性を整え、チームを前に進める力：②対立に介入する力")
    expect(link).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^3 方向性を示し、人を巻き込む力：①"))).to_be_visible()
    visit.check_page(page)
    shot(page, "sheet-errors")

    # Answering an item takes it off the list (and its mark off the row) as soon as it is saved.
    page.locator('fieldset[data-item="2-2"][data-axis="practice"]').get_by_label("いいえ").check()
    expect(link).to_have_count(0)
    expect(summary).to_contain_text("未回答：44 項目")
    expect(page.locator("#item-2-2")).not_to_contain_text("未回答です。")

    for box in page.locator("fieldset[data-item]").all():
        box.get_by_label("はい", exact=True).check()
    expect(page.locator("p.callout")).to_have_text(
        "すべての項目に回答しました。「提出する」から、確認のうえ提出できます。"
    )
    expect(page.get_by_text("まだ回答していない項目があります")).to_have_count(0)
    expect(page.locator(".item-missing")).to_have_count(0)
    visit.check_page(page)

    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出の確認")
    expect(page.get_by_text("提出したチェックは変更できません（元に戻せません）。")).to_be_visible()
    expect(page.get_by_text("未回答の項目：0 項目（全 45 項目中）")).to_be_visible()
    visit.check_page(page)
    shot(page, "sheet-confirm")
    assert not Check.objects.exists()
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    assert Check.objects.count() == 1
