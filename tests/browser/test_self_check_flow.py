"""The whole job for one person, in a real browser, axe-clean on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from bansou.accounts.models import User
from bansou.checks.models import Check, DraftCell
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser


def answer(page: Page, code: str, axis: str, label: str) -> None:
    page.locator(f'fieldset[data-item="{code}"][data-axis="{axis}"]').get_by_label(label, exact=True).check()


def answer_all(page: Page, label: str = "はい") -> None:
    for box in page.locator("fieldset[data-item]").all():
        box.get_by_label(label, exact=True).check()


def wait_saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text(re.compile("保存しました"))


def test_sign_up_fill_reload_finish_submit_and_see_the_result(visit: Visit, live_server: Any) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    visit.check_page(page)
    page.get_by_role("link", name="エレメントとは").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("伴走支援に必要な力 (エレメント)")
    visit.check_page(page)

    page.get_by_role("link", name="アカウント作成").click()
    visit.check_page(page)
    page.get_by_role("button", name="アカウントを作成する").click()  # empty: errors are shown
    expect(page.get_by_role("alert")).to_contain_text("入力内容を確認してください")
    visit.check_page(page)
    page.get_by_label("ログインID").fill("hanako")
    page.get_by_label("氏名").fill("伴走　花子")
    page.get_by_label("フリガナ").fill("ばんそう　はなこ")
    page.get_by_label("中核推進役").check()
    page.get_by_label("パスワード ※必須", exact=True).fill("correct-horse-battery")
    page.get_by_label("パスワード(確認用)").fill("correct-horse-battery")
    page.get_by_role("button", name="アカウントを作成する").click()
    expect(page.get_by_text("アカウントを作成しました。")).to_be_visible()
    visit.check_page(page)

    page.get_by_role("button", name="セルフチェックを始める").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェック")
    visit.check_page(page)
    # Part of the sheet, by keyboard for one answer: Tab into the group, arrows choose.
    page.get_by_role("group", name=re.compile(r"①チーム状況を見立てる力：\s*理解しているか")).get_by_label(
        "いいえ"
    ).focus()
    page.keyboard.press("ArrowRight")
    wait_saved(page)
    answer(page, "2-1", "practice", "いいえ")
    answer(page, "9-10", "understanding", "はい")
    wait_saved(page)
    expect(page.locator('[data-progress="checklist"]')).to_have_text("1")

    page.reload()
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="understanding"]').get_by_label("はい")
    ).to_be_checked()
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="practice"]').get_by_label("いいえ")
    ).to_be_checked()
    expect(
        page.locator('fieldset[data-item="9-10"][data-axis="understanding"]').get_by_label("はい")
    ).to_be_checked()
    expect(page.locator('[data-progress="checklist"]')).to_have_text("1")

    page.get_by_role("button", name="提出する").click()  # incomplete: listed, nothing submitted
    expect(page.get_by_role("heading", name="まだ回答していない項目があります")).to_be_visible()
    visit.check_page(page)
    answer_all(page)
    wait_saved(page)
    expect(page.locator('[data-progress="checklist"]')).to_have_text("29")
    expect(page.locator('[data-progress="labels"]')).to_have_text("16")
    page.get_by_role("button", name="提出する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    expect(page.get_by_role("img", name=re.compile("レーダーチャート"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("エレメントごとの割合"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^強み"))).to_be_visible()
    visit.check_page(page)
    check = Check.objects.get()
    assert check.owner == User.objects.get(username="hanako")
    assert User.objects.get(username="hanako").display_name == "伴走　花子"

    page.get_by_role("link", name="これまでのチェックを見る").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(r"令和\d+年度（\d{4}年度）"))).to_be_visible()
    visit.check_page(page)
    page.get_by_role("link", name="伴走　花子 さん").click()
    visit.check_page(page)


def test_a_visitor_tries_it_then_signs_up_and_keeps_the_result(visit: Visit, live_server: Any) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="セルフチェックを始める").click()
    answer_all(page, "いいえ")
    wait_saved(page)
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    visit.check_page(page)
    result_url = page.url

    page.get_by_role("link", name="アカウントを作成して結果を残す").click()
    page.get_by_label("ログインID").fill("visitor")
    page.get_by_label("氏名").fill("試用 次郎")
    page.get_by_label("パスワード ※必須", exact=True).fill("correct-horse-battery")
    page.get_by_label("パスワード(確認用)").fill("correct-horse-battery")
    page.get_by_role("button", name="アカウントを作成する").click()
    page.goto(result_url)

    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    assert Check.objects.get().owner == User.objects.get(username="visitor")


def test_a_stale_tab_is_told_and_does_not_overwrite(visit: Visit, live_server: Any) -> None:
    first = visit.new_page()
    first.goto(live_server.url + "/")
    first.get_by_role("button", name="セルフチェックを始める").click()
    second = visit.new_page()
    second.goto(first.url)

    answer(first, "3-2", "practice", "はい")
    wait_saved(first)
    answer(second, "3-2", "practice", "いいえ")

    box = second.locator('fieldset[data-item="3-2"][data-axis="practice"]')
    expect(box).to_contain_text("別の画面で先に変更されていたため")
    expect(box.get_by_label("はい")).to_be_checked()
    visit.check_page(second)
    assert DraftCell.objects.get(item_code="3-2", axis="practice").value == 1


def test_answers_given_offline_are_kept_and_sent_when_back_even_after_closing_the_tab(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="セルフチェックを始める").click()
    sheet_url = page.url

    visit.context.set_offline(True)
    answer(page, "6-1", "understanding", "はい")
    expect(page.locator("#save-status")).to_contain_text("オフラインです")
    page.close()
    visit.context.set_offline(False)
    assert DraftCell.objects.get(item_code="6-1", axis="understanding").value is None

    page = visit.new_page()
    page.goto(sheet_url)
    wait_saved(page)
    assert DraftCell.objects.get(item_code="6-1", axis="understanding").value == 1


def test_the_axe_check_fails_on_a_page_with_a_violation(visit: Visit, live_server: Any) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")

    with pytest.raises(AssertionError, match="label"):
        visit.check_page(page)


def test_the_whole_check_works_without_javascript(browser: Browser, live_server: Any, loaded: None) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="セルフチェックを始める").click()
    answer(page, "2-1", "understanding", "はい")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("回答を保存しました。")).to_be_visible()
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="understanding"]').get_by_label("はい")
    ).to_be_checked()

    answer_all(page, "はい")
    page.get_by_role("button", name="提出する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    expect(page.get_by_role("img", name=re.compile("レーダーチャート"))).to_be_visible()
    assert Check.objects.count() == 1
    context.close()
