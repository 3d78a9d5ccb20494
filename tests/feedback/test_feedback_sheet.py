"""The request on paper: an A4 page per fresh code (the code posted back by the page that showed it,
checked against this request's usable links, never kept), or one page without a code; read back
with pypdf as a reader would. Paper answers typed in are counted apart."""

from __future__ import annotations

import datetime
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain.feedback import MARK_WORDS
from bansou.feedback.models import Answer, FeedbackRequest
from bansou.frameworks.queries import framework_of
from bansou.invitations.codes import format_code
from tests.feedback.test_feedback_flow import ELEMENT_9, answer, make_request
from tests.reports.pdfcheck import PDF, assert_sound_pdf, reader, squeeze

pytestmark = pytest.mark.django_db

HIDDEN_CODE = re.compile(r'<input type="hidden" name="code" value="([0-9A-Z-]+)">')
PAPER_WORDS = (
    "この用紙を依頼した人に手渡すと、依頼した人があなたの回答を読んで入力します。"
    "用紙での回答は、依頼した人に知られます。"
)


def new_request(client: Client, links: int = 3) -> tuple[FeedbackRequest, str]:
    """A request with ``links`` municipal links, and its page as first shown (with the fresh codes)."""
    page = client.get(reverse("feedback:new")).content.decode()
    made = client.post(
        reverse("feedback:new"),
        {
            "items": ELEMENT_9.findall(page),
            "message": "<script>alert(1)</script>率直に教えてください",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "municipal": links,
            "teammate": 0,
            "other": 0,
        },
    )
    assert made.status_code == 302
    return FeedbackRequest.objects.latest("pk"), client.get(made["Location"]).content.decode()


def sheet_pdf(response: HttpResponse) -> bytes:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="bansou-feedback-sheet-')
    assert response["Cache-Control"] == "private, no-store"
    return bytes(response.content)


def test_the_page_of_fresh_codes_posts_them_for_a_sheet_each(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, page = new_request(client, links=3)
    codes = HIDDEN_CODE.findall(page)
    assert len(codes) == 3 and all(f"<code>{c}</code>" in page for c in codes)
    body = sheet_pdf(client.post(reverse("feedback:sheet", args=[made.public_id]), {"code": codes}))
    text = squeeze(assert_sound_pdf(body))
    assert len(reader(body).pages) == 3  # one A4 page per person asked
    for code in codes:
        assert text.count(code) == 1
    assert "<script>alert(1)</script>率直に教えてください" in text  # plain text; nothing active in the file
    assert "佐藤花子さんへのフィードバック" in text
    assert "http://testserver/f/" in text
    assert squeeze(PAPER_WORDS) in text
    assert "3人以上の回答を合わせた集計だけが見えます" in text
    assert "名前も立場もつけずに" in text
    first = next(i for i in framework_of(made.framework).items() if i.code == made.items[0])
    assert squeeze(first.name) in text and squeeze(first.description)[:20] in text
    for words in MARK_WORDS.values():
        assert text.count(squeeze(words)) >= 3
    assert text.count("コメント（任意）") == 3


def test_the_blank_sheet_has_no_code_and_says_the_supporter_reads_it(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, codes = make_request(client, links=1)
    page = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert reverse("feedback:sheet", args=[made.public_id]) in page
    assert not HIDDEN_CODE.search(page)  # the codes were shown once; no form can carry them now
    body = sheet_pdf(client.get(reverse("feedback:sheet", args=[made.public_id])))
    text = squeeze(assert_sound_pdf(body))
    assert len(reader(body).pages) == 1
    assert format_code(codes[0]) not in text and codes[0] not in text
    assert squeeze(PAPER_WORDS) in text and "インターネットで回答する" not in text


def test_a_code_that_is_not_a_usable_link_of_this_request_is_refused(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    theirs, their_page = new_request(client, links=1)
    made, page = new_request(client, links=3)
    codes, their_codes = HIDDEN_CODE.findall(page), HIDDEN_CODE.findall(their_page)
    url = reverse("feedback:sheet", args=[made.public_id])
    answer_by(codes[0], made)
    for refused in ([codes[1], their_codes[0]], [codes[0]], ["A" * 20], []):
        back = client.post(url, {"code": refused})  # back to the request's page, with why
        assert back.status_code == 302 and back["Location"].endswith(f"/feedback/{made.public_id}/"), refused
    assert client.post(url, {"code": [codes[1], codes[2]]}).status_code == 200
    other = Client()
    other.force_login(User.objects.create_user(username="suzuki", password="pw-0123456789"))
    assert other.post(url, {"code": [codes[1]]}).status_code == 404  # not theirs: 404 as if none
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login
    client.post(reverse("feedback:close", args=[made.public_id]))
    assert client.post(url, {"code": [codes[1]]}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(reverse("feedback:sheet", args=[theirs.public_id])).status_code == 200


def answer_by(code: str, made: FeedbackRequest) -> None:
    rater = Client()
    opened = rater.post(reverse("feedback_public:start"), {"code": code})
    assert opened.status_code == 302
    sent = rater.post(opened["Location"], {f"mark_{c}": "seen" for c in made.items})
    assert sent.status_code == 302


def test_paper_answers_are_typed_in_and_counted_apart(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, codes = make_request(client, links=1)
    answer(codes[0])
    paper = reverse("feedback:paper", args=[made.public_id])
    form = client.get(paper).content.decode()
    assert "「佐藤 花子 さんへのフィードバック」の用紙" in form and "作成の依頼・締切" in form
    marks = {f"mark_{c}": "not_yet" for c in made.items}
    sent = client.post(paper, {"group": "teammate", **marks, f"comment_{made.items[1]}": "紙のコメント"})
    assert sent.status_code == 302
    typed = Answer.objects.get(typed_in=True)
    assert typed.typed_in and typed.group == "teammate"
    assert typed.marks == dict.fromkeys(made.items, "not_yet")
    assert Answer.objects.filter(typed_in=False).count() == 1
    page = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert "リンクからの回答 1件・紙から入力した回答 1件" in page
