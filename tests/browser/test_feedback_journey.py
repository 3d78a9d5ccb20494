"""Feedback from others (issue 16), in a real browser, axe-clean, with no outside request and no English.

A supporter with a submitted check asks for feedback on the ten items of 主体性を引き出す力 (chosen
already) with four links, and reads the links from the page, shown once. Three raters, each in a browser
of their own and without an account (one on a phone, 390 px wide), open their ``/f/#CODE`` link: the
page's script carries them to the answer form, and neither the address bar nor the history holds the
code. Before closing, the supporter sees how many answered and nothing of what they said. The fourth
link answers once; opened again in a fresh browser, it is refused (so four answers are counted: a link
is refused as used only while the request is open). The supporter closes and reads the comparison: the
2x2 of self and others, and the table.
With BANSOU_SCREENSHOTS=<folder>, the pages are saved there (desktop and phone widths) to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from bansou.checks.models import Check
from bansou.domain.feedback import MARK_WORDS, PLACE_WORDS, Mark
from bansou.feedback.models import Answer
from tests.browser.conftest import CONTEXT, Visit, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SEEN, NOT_YET, UNKNOWN = (MARK_WORDS[m] for m in (Mark.SEEN, Mark.NOT_YET, Mark.UNKNOWN))


@contextmanager
def rater_browser(browser: Browser, base_url: str, viewport: dict[str, int] | None = None) -> Iterator[Visit]:
    """A rater's own browser (no account, no cookies of the supporter's), with every page's checks."""
    context = browser.new_context(**{**CONTEXT, "viewport": viewport or CONTEXT["viewport"]})  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    visit = Visit(context, base_url)
    try:
        yield visit
    finally:
        context.close()
    assert not visit.problems, "\n".join(visit.problems)


def open_link(visit: Visit, link: str) -> Page:
    """Opens the ``/f/#CODE`` link: the script posts the code and the answer form opens."""
    page = visit.new_page()
    page.goto(link)
    page.wait_for_url(re.compile(r"/f/answer/[^/]+/$"))
    code = link.rpartition("#")[2]
    assert "#" not in page.url and code not in page.url
    assert page.evaluate("window.location.hash") == ""
    page.go_back()  # the entry before: the script's post, made while loading, replaced the link's
    assert code not in page.url and "#" not in page.url
    page.go_forward()
    page.wait_for_url(re.compile(r"/f/answer/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("佐藤 花子 さんへのフィードバック")
    return page


def answer(visit: Visit, page: Page, marks: list[str], comment: str, name: str) -> None:
    """Chooses a mark per item, writes a comment on the first, sends; the thanks page."""
    items = page.locator("section.feedback-item")
    expect(items).to_have_count(len(marks))
    visit.check_page(page)
    shot(page, f"feedback-answer-{name}")
    for n, mark in enumerate(marks):
        items.nth(n).get_by_role("radio", name=mark, exact=True).check()
    items.first.locator("textarea").fill(comment)
    page.get_by_role("button", name="回答を送る（送ると変更できません）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("回答を受け付けました")
    visit.check_page(page)
    shot(page, f"feedback-thanks-{name}")


def test_a_supporter_asks_three_raters_answer_and_the_comparison_shows_after_close(
    visit: Visit, live_server: Any, browser: Browser, submitted: Callable[..., Check]
) -> None:
    base = live_server.url
    supporter = make_user("sato", "佐藤 花子", furigana="サトウ ハナコ")
    submitted(supporter)

    # The request: the ten items of 主体性を引き出す力 chosen already, four links for 市町村職員.
    page = visit.new_page()
    page.goto(base + reverse("feedback:mine"))
    log_in(visit, page, "sato")
    expect(page.get_by_role("heading", level=1)).to_have_text("他者からのフィードバック")
    visit.check_page(page)
    page.get_by_role("link", name="新しく依頼する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("フィードバックを依頼する")
    expect(page.locator("input[name=items]:checked")).to_have_count(10)
    visit.check_page(page)
    shot(page, "feedback-new")
    page.get_by_label(re.compile("^市町村職員の方へのリンク")).fill("4")
    page.get_by_role("button", name="依頼を作る").click()

    # The links, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("フィードバックの依頼")
    links = page.locator("code.breakable").all_inner_texts()
    assert len(links) == 4 and all(
        re.fullmatch(re.escape(base) + r"/f/#[0-9A-Z]{20}", link) for link in links
    )
    visit.check_page(page)
    shot(page, "feedback-links")
    detail = page.url
    page.reload()
    expect(page.locator("code.breakable")).to_have_count(0)

    # Three raters, each in their own browser, one on a phone.
    answers = [
        ([SEEN] * 10, "住民の声を丁寧に聞いてくださいました。"),
        ([SEEN] * 5 + [NOT_YET] * 5, "会議の進め方を任せてもらえて、職員が話しやすくなりました。"),
        ([SEEN, UNKNOWN] * 5, "<script>alert(1)</script>もう少し現場に来てほしいです。"),
    ]
    for n, (link, (marks, comment)) in enumerate(zip(links[:3], answers, strict=True)):
        with rater_browser(browser, base, PHONE if n == 2 else None) as rater:
            answer(rater, open_link(rater, link), marks, comment, "phone" if n == 2 else f"rater{n + 1}")

    # Before closing: how many answered, and nothing of what they said.
    page.goto(detail)
    expect(page.get_by_text("リンクからの回答 3件")).to_be_visible()
    for words in [*PLACE_WORDS.values(), *(comment for _, comment in answers), "3人中"]:
        expect(page.get_by_text(words)).to_have_count(0)
    visit.check_page(page)
    shot(page, "feedback-before-close")

    # The fourth link answers once; a second time, in a fresh browser, it is refused.
    with rater_browser(browser, base) as fourth:
        answer(fourth, open_link(fourth, links[3]), [NOT_YET] * 10, "一緒に考えてくださる方です。", "rater4")
    with rater_browser(browser, base) as again:
        refused = again.new_page()
        refused.goto(base + reverse("feedback_public:start"))  # the page for a code on paper
        expect(refused.get_by_role("heading", level=1)).to_have_text("フィードバックに回答する")
        again.check_page(refused)
        shot(refused, "feedback-start")
        refused.goto(links[3])
        expect(refused.get_by_role("heading", level=1)).to_have_text("このリンクは回答済みです")
        assert "#" not in refused.url
        again.check_page(refused)
        shot(refused, "feedback-used")
    assert Answer.objects.count() == 4

    # Closing: the comparison, kept as it was at close. A rater's comment, shown as they wrote it.
    visit.typed("<script>alert(1)</script>")
    page.goto(detail)
    page.get_by_role("button", name="今すぐ締め切る").click()
    expect(page.get_by_text("締め切りました。これ以降、回答は受け付けません。")).to_be_visible()
    expect(page.get_by_text(re.compile("^4件の回答を合わせた集計です"))).to_be_visible()
    quadrants = page.locator(".quadrant h3")
    expect(quadrants).to_have_text(list(PLACE_WORDS.values()))
    table = page.get_by_role("table", name="項目ごとの自分と周り")
    expect(table.locator("tbody tr")).to_have_count(10)
    expect(table.get_by_text("判断した4人中3人が")).to_have_count(3)  # the 1st, 3rd and 5th items
    expect(page.get_by_text("<script>alert(1)</script>もう少し現場に来てほしいです。")).to_be_visible()
    visit.check_page(page)
    shot(page, "feedback-closed")
