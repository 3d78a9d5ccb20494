"""The whole job for one person, in a real browser, axe-clean on every page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from bansou.accounts.models import User
from bansou.checks.models import Check, Draft, DraftCell
from bansou.checks.services import save_cells
from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser


def start_check(page: Page) -> None:
    """Starts (or resumes) a check and waits until the sheet and its script have loaded."""
    page.get_by_role("button", name=re.compile("セルフチェックを始める|続きから|回答を始める")).click()
    page.wait_for_url("**/checks/drafts/**")
    page.wait_for_load_state("load")


def answer(page: Page, code: str, axis: str, label: str) -> None:
    page.locator(f'fieldset[data-item="{code}"][data-axis="{axis}"]').get_by_label(label, exact=True).check()


def answer_all(page: Page, label: str = "はい") -> None:
    for box in page.locator("fieldset[data-item]").all():
        box.get_by_label(label, exact=True).check()


def eventually(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Polls from Python: the page's CSP refuses the string evaluation wait_for_function uses."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def submit_and_confirm(page: Page) -> None:
    """提出する, then the page that says a submitted check cannot be changed, then submit."""
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出の確認")
    page.get_by_role("button", name="この内容で提出する").click()


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
    visit.typed("hanako")
    page.get_by_label("氏名").fill("伴走　花子")
    page.get_by_label("フリガナ").fill("ばんそう　はなこ")
    page.get_by_label("中核推進役").check()
    page.get_by_label("パスワード ※必須", exact=True).fill("correct-horse-battery")
    page.get_by_label("パスワード(確認用)").fill("correct-horse-battery")
    page.get_by_role("button", name="アカウントを作成する").click()
    expect(page.get_by_text("アカウントを作成しました。")).to_be_visible()
    visit.check_page(page)

    start_check(page)
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
    submit_and_confirm(page)

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

    page.evaluate("localStorage.setItem('bansou:pending:someone', '{}')")
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ログアウトしました")
    visit.check_page(page)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('bansou:'))") == []


def test_a_visitor_tries_it_then_signs_up_and_keeps_the_result(visit: Visit, live_server: Any) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    start_check(page)
    answer_all(page, "いいえ")
    wait_saved(page)
    submit_and_confirm(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    visit.check_page(page)
    result_url = page.url

    page.get_by_role("link", name="アカウントを作成して結果を残す").click()
    page.get_by_label("ログインID").fill("visitor")
    visit.typed("visitor")
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
    start_check(first)
    second = visit.new_page()
    second.goto(first.url)
    second.wait_for_load_state("load")

    answer(first, "3-2", "practice", "はい")
    wait_saved(first)
    answer(second, "3-2", "practice", "いいえ")

    box = second.locator('fieldset[data-item="3-2"][data-axis="practice"]')
    expect(box).to_contain_text("別の画面で先に変更されていたため")
    expect(box.get_by_label("はい")).to_be_checked()
    visit.check_page(second)
    assert DraftCell.objects.get(item_code="3-2", axis="practice").value == 1


def test_a_failed_submit_keeps_unsent_answers_until_the_result_arrives(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    start_check(page)
    draft_id = page.locator("#sheet-form").get_attribute("data-draft")
    answer_all(page)
    wait_saved(page)
    kept = "Object.keys(localStorage).filter(k => k.startsWith('bansou:pending:'))"
    # The connection drops: neither the autosave nor the submit reaches the server.
    page.route("**/autosave/", lambda route: route.abort())
    answer(page, "2-1", "practice", "いいえ")
    expect(page.locator("#save-status")).to_contain_text("接続できません")
    page.route("**/checks/drafts/*/", lambda route: route.abort())
    page.get_by_role("button", name="提出する").click()
    page.wait_for_timeout(500)
    page.unroute("**/autosave/")
    page.unroute("**/checks/drafts/*/")

    page.goto(live_server.url + "/")
    (key,) = page.evaluate(kept)  # the failed submit forgot nothing
    assert key.startswith("bansou:pending:") and key.endswith(f":{draft_id}")  # tagged with its owner
    assert not Check.objects.exists()
    start_check(page)
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="practice"]').get_by_label("いいえ")
    ).to_be_checked()
    eventually(lambda: page.evaluate(kept) == [])  # sent on the next visit
    assert DraftCell.objects.get(item_code="2-1", axis="practice").value == 0
    page.evaluate(f"localStorage.setItem('{key}', '{{}}')")
    submit_and_confirm(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    assert page.evaluate(kept) == []  # the result page forgets what was kept for its draft


def test_an_answer_chosen_while_a_refused_save_is_on_its_way_is_still_sent(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    start_check(page)
    draft = Draft.objects.get()
    save_cells(draft=draft, edits=[Edit("2-1", Axis.UNDERSTANDING, 1, 0)])  # another tab, meanwhile
    sent: list[str] = []

    def slowly(route: Route) -> None:
        sent.append(route.request.post_data or "")
        page.wait_for_timeout(800)
        route.continue_()

    page.route("**/autosave/", slowly)
    answer(page, "2-1", "understanding", "いいえ")  # will be refused: the page is stale
    page.wait_for_timeout(400)  # that save is on its way
    answer(page, "2-2", "understanding", "はい")

    expect(page.locator('fieldset[data-item="2-1"][data-axis="understanding"]')).to_contain_text(
        "別の画面で先に"
    )
    expect(page.locator("#save-status")).to_have_text(re.compile("^保存しました"))
    values = dict(DraftCell.objects.filter(axis="understanding").values_list("item_code", "value"))
    assert (values["2-1"], values["2-2"]) == (1, 1)
    assert len(sent) == 2


def test_going_back_to_the_sheet_shows_the_saved_answers_and_saves_the_next_change(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    start_check(page)
    answer(page, "2-1", "understanding", "はい")
    wait_saved(page)
    page.goto(live_server.url + "/elements/")

    page.go_back()
    page.wait_for_load_state("load")
    box = page.locator('fieldset[data-item="2-1"][data-axis="understanding"]')
    expect(box.get_by_label("はい")).to_be_checked()
    answer(page, "2-1", "understanding", "いいえ")

    wait_saved(page)
    expect(box).not_to_contain_text("別の画面で先に")
    assert DraftCell.objects.get(item_code="2-1", axis="understanding").value == 0


def test_answers_given_offline_are_kept_and_sent_when_back_even_after_closing_the_tab(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/")
    start_check(page)
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
    start_check(page)
    answer(page, "2-1", "understanding", "はい")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("回答を保存しました。")).to_be_visible()
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="understanding"]').get_by_label("はい")
    ).to_be_checked()

    answer_all(page, "はい")
    submit_and_confirm(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    expect(page.get_by_role("img", name=re.compile("レーダーチャート"))).to_be_visible()
    assert Check.objects.count() == 1
    context.close()
