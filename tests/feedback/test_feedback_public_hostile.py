"""Hostile input on the rater's public pages (``/f/``): bodies too long or too large, malformed posts,
replays, a missing CSRF token, codes in the address, and script in a comment. Whatever arrives, the page
answers in Japanese, below 500, and writes no answer that was not meant."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.domain.feedback import COMMENT_LIMIT, MIN_RATERS, RaterGroup
from bansou.feedback import limits, services
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.feedback.views.public import LINKS as LINK
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.invitations.models import Invitation
from tests.checks.test_access import make_check

pytestmark = pytest.mark.django_db

ANSWER = "/f/answer/"  # the answer form, followed by the key of the link this browser opened


@pytest.fixture
def owner(version: FrameworkVersion) -> User:
    user = User.objects.create_user(username="sato", password="pw-0123456789", display_name="佐藤 花子")
    make_check(version, Holder(user_id=user.pk))
    return user


@pytest.fixture
def asked(owner: User, version: FrameworkVersion) -> tuple[FeedbackRequest, list[str]]:
    """A request for three items with four links (their codes)."""
    framework = framework_of(version)
    made, issued = services.make_request(
        owner=owner,
        version=version,
        framework=framework,
        items=[i.code for i in framework.items()][:3],
        message="率直に教えてください",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        links={RaterGroup.MUNICIPAL: 4},
    )
    return made, [i.code for i in issued]


def opened(code: str, **client_options: bool) -> Client:
    """A rater's browser that sent the link's code: its session holds the link."""
    rater = Client(**client_options)
    if client_options.get("enforce_csrf_checks"):
        rater.get(reverse("feedback_public:start"))
        token = rater.cookies[settings.CSRF_COOKIE_NAME].value
        response = rater.post(reverse("feedback_public:start"), {"code": code}, HTTP_X_CSRFTOKEN=token)
    else:
        response = rater.post(reverse("feedback_public:start"), {"code": code})
    assert response.status_code == 302 and response["Location"].startswith(ANSWER)
    rater.answer_url = response["Location"]  # type: ignore[attr-defined]
    return rater


def answer_by_code(code: str, data: dict[str, str]) -> HttpResponse:
    rater = opened(code)
    return rater.post(rater.answer_url, data)  # type: ignore[attr-defined]


def full(request: FeedbackRequest, mark: str = "seen", **extra: str) -> dict[str, str]:
    return {f"mark_{c}": mark for c in request.items} | extra


def page(response: object) -> str:
    text = response.content.decode()  # type: ignore[attr-defined]
    assert '<html lang="ja">' in text
    return text


def test_a_comment_over_the_limit_is_refused_in_japanese(asked: tuple[FeedbackRequest, list[str]]) -> None:
    request, codes = asked
    rater = opened(codes[0])
    first = request.items[0]
    response = rater.post(rater.answer_url, full(request, **{f"comment_{first}": "あ" * (COMMENT_LIMIT + 1)}))
    assert response.status_code == 400
    assert f"{COMMENT_LIMIT} 文字以下" in page(response)
    assert not Answer.objects.exists()
    at_limit = rater.post(rater.answer_url, full(request, **{f"comment_{first}": "あ" * COMMENT_LIMIT}))
    assert at_limit.status_code == 302
    assert Comment.objects.get().text == "あ" * COMMENT_LIMIT


def test_a_body_too_large_is_the_400_page(asked: tuple[FeedbackRequest, list[str]]) -> None:
    request, codes = asked
    rater = opened(codes[0])
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = rater.post(rater.answer_url, full(request, **{f"comment_{request.items[0]}": huge}))
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    page(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "malformed",
    [
        pytest.param(lambda r: {f"mark_{c}": "seen" for c in r.items[1:]}, id="a mark missing"),
        pytest.param(lambda r: {}, id="no marks"),
        pytest.param(lambda r: full(r, "excellent"), id="an unknown mark"),
        pytest.param(lambda r: full(r, "SEEN"), id="a mark in capitals"),
        pytest.param(lambda r: full(r, "seen\x00"), id="a NUL in a mark"),
        pytest.param(lambda r: full(r, **{f"comment_{r.items[0]}": "よい\x00"}), id="a NUL in a comment"),
        pytest.param(
            lambda r: {"mark_9-99": "seen", "mark_": "seen", "mark_../1": "seen"}, id="items not asked"
        ),
    ],
)
def test_a_malformed_answer_is_refused_and_the_link_stays_open(
    asked: tuple[FeedbackRequest, list[str]], malformed: object
) -> None:
    request, codes = asked
    rater = opened(codes[0])
    response = rater.post(rater.answer_url, malformed(request))  # type: ignore[operator]
    assert response.status_code == 400
    text = page(response)
    assert "message-error" in text or "field-errors" in text
    assert not Answer.objects.exists()
    assert rater.post(rater.answer_url, full(request)).status_code == 302  # the link still takes the answer


def test_items_not_asked_are_not_kept(asked: tuple[FeedbackRequest, list[str]]) -> None:
    request, codes = asked
    rater = opened(codes[0])
    extra = {"mark_9-99": "seen", "comment_9-99": "ほかの項目", f"mark_{request.items[0]}x": "seen"}
    assert rater.post(rater.answer_url, full(request, "not_yet") | extra).status_code == 302
    answer = Answer.objects.get()
    assert answer.marks == dict.fromkeys(request.items, "not_yet")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"mark_%FF%FE=seen&comment_%C0%AF=%FF",  # percent escapes of bytes that are not UTF-8
        b"mark_\xff\xfe=seen&\xc0\xaf=\xff",  # raw bytes that are not UTF-8
        b"%ZZ=%&&==&mark_",  # broken escapes
    ],
)
def test_bytes_that_are_not_utf8_are_refused(asked: tuple[FeedbackRequest, list[str]], body: bytes) -> None:
    _request, codes = asked
    rater = opened(codes[0])
    response = rater.generic("POST", rater.answer_url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page(response)
    assert not Answer.objects.exists()


def test_a_replayed_answer_is_not_a_second_one(asked: tuple[FeedbackRequest, list[str]]) -> None:
    request, codes = asked
    rater = opened(codes[0])
    sent = full(request, **{f"comment_{request.items[0]}": "よく聞いてくださる"})
    assert rater.post(rater.answer_url, sent)["Location"] == reverse("feedback_public:thanks")
    again = rater.post(rater.answer_url, sent, follow=True)  # the same form again (a double click, back)
    assert again.redirect_chain == [(reverse("feedback_public:thanks"), 302)]
    assert "回答を受け付けました" in page(again)
    assert Answer.objects.count() == 1 and Comment.objects.count() == 1


def test_a_link_opened_in_two_browsers_takes_one_answer(asked: tuple[FeedbackRequest, list[str]]) -> None:
    request, codes = asked
    first, second = opened(codes[0]), opened(codes[0])
    assert first.post(first.answer_url, full(request)).status_code == 302
    late = second.post(second.answer_url, full(request, "not_yet"))
    assert late.status_code == 410
    assert "このリンクは回答済みです" in page(late)
    assert list(Answer.objects.values_list("marks", flat=True)) == [dict.fromkeys(request.items, "seen")]


def test_a_post_without_the_csrf_token_is_refused_in_japanese(
    asked: tuple[FeedbackRequest, list[str]],
) -> None:
    request, codes = asked
    rater = opened(codes[0], enforce_csrf_checks=True)
    response = rater.post(rater.answer_url, full(request))  # no token in the body nor in a header
    assert response.status_code == 403
    assert "web/csrf_failure.html" in [t.name for t in response.templates]
    page(response)
    stranger = Client(enforce_csrf_checks=True).post(reverse("feedback_public:start"), {"code": codes[1]})
    assert stranger.status_code == 403
    assert not Answer.objects.exists()
    assert Invitation.objects.filter(uses__gt=0).count() == 0
    token = rater.cookies[settings.CSRF_COOKIE_NAME].value
    with_token = rater.post(rater.answer_url, full(request), HTTP_X_CSRFTOKEN=token)
    assert with_token.status_code == 302  # with it: sent


def test_the_code_is_never_needed_in_the_address(asked: tuple[FeedbackRequest, list[str]]) -> None:
    _request, codes = asked
    browser = Client()
    by_query = browser.get(reverse("feedback_public:start"), {"code": codes[0]})
    assert by_query.status_code == 200 and LINK not in browser.session  # a code in the query opens nothing
    assert browser.get(f"/f/{codes[0]}/").status_code == 404  # nor one in the path
    assert browser.get(f"{ANSWER}{codes[0]}/").url == reverse("feedback_public:start")  # not opened
    form = page(browser.get(reverse("feedback_public:start")))
    assert 'method="post"' in form and 'name="code"' in form
    posted = browser.post(reverse("feedback_public:start"), {"code": codes[0].lower()})  # as typed
    assert posted["Location"].startswith(ANSWER) and codes[0] not in posted["Location"]
    answer_page = page(browser.get(posted["Location"]))
    assert codes[0] not in answer_page


def test_too_many_posts_by_one_link_wait_in_japanese(
    asked: tuple[FeedbackRequest, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    request, codes = asked
    monkeypatch.setattr(limits, "LINK", limits.Limit("link", 2, 600))
    rater = opened(codes[0])
    for _n in range(2):
        assert rater.post(rater.answer_url, {}).status_code == 400
    waiting = rater.post(rater.answer_url, full(request))
    assert waiting.status_code == 429
    assert "しばらくしてからもう一度お試しください" in page(waiting)
    assert not Answer.objects.exists()


SCRIPTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">見る</a>',
    "</p><svg onload=alert(1)>",
]


def test_script_in_a_comment_is_inert_on_the_supporters_page(
    asked: tuple[FeedbackRequest, list[str]], owner: User
) -> None:
    request, codes = asked
    assert len(codes) == len(SCRIPTS) > MIN_RATERS
    for code, script in zip(codes, SCRIPTS, strict=True):
        sent = answer_by_code(code, full(request, **{f"comment_{request.items[0]}": script}))
        assert sent.status_code == 302
    supporter = Client()
    supporter.force_login(owner)
    supporter.post(reverse("feedback:close", args=[request.public_id]))
    shown = page(supporter.get(reverse("feedback:detail", args=[request.public_id])))
    for script in SCRIPTS:
        assert script not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;見る&lt;/a&gt;" in shown
    assert "&lt;/p&gt;&lt;svg onload=alert(1)&gt;" in shown


def test_hiding_a_comment_reads_only_hidden_or_shown(
    asked: tuple[FeedbackRequest, list[str]], owner: User
) -> None:
    """A regression: any value but ``0`` (a junk body, a missing field) hid the comment."""
    request, codes = asked
    for code in codes[:MIN_RATERS]:
        answer_by_code(code, full(request, **{f"comment_{request.items[0]}": "よい"}))
    services.close(request)
    supporter = Client()
    supporter.force_login(owner)
    comment = Comment.objects.first()
    assert comment is not None
    hide = reverse("feedback:hide_comment", args=[request.public_id, comment.public_id])
    for junk in ({}, {"hidden": "yes"}, {"hidden": "1\x00"}, {"hidden": ""}):
        assert supporter.post(hide, junk).status_code == 302
        comment.refresh_from_db()
        assert not comment.hidden, junk
    supporter.post(hide, {"hidden": "1"})
    comment.refresh_from_db()
    assert comment.hidden
