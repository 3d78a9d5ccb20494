"""What a rater leaves behind, and what the supporter could piece together (issue 16's review): two links
open in two tabs of one browser each answer their own request; an answer keeps no link, time of day or
account; the comments' order and their buttons do not follow the order they were written in; nothing
about comments can be learnt before the page shows them; a request makes at most ``MAX_LINKS`` links."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.mydata import collect
from bansou.domain.feedback import MAX_LINKS, Mark, RaterGroup
from bansou.feedback import services
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.feedback.views.public import DONE, LINKS
from bansou.frameworks.models import FrameworkVersion
from tests.feedback.requests_made import answer_by, answer_form, new_request, signed_in, supporter

pytestmark = pytest.mark.django_db


def test_two_links_in_two_tabs_of_one_browser_each_answer_their_own_request(
    version: FrameworkVersion,
) -> None:
    sato, suzuki = supporter(version), supporter(version, username="suzuki", display_name="鈴木 一郎")
    for_sato, sato_links = new_request(sato, version, {RaterGroup.MUNICIPAL: 1})
    for_suzuki, suzuki_links = new_request(suzuki, version, {RaterGroup.MUNICIPAL: 1})
    browser = Client()
    first_tab = browser.post(reverse("feedback_public:start"), {"code": sato_links[0].code})["Location"]
    second_tab = browser.post(reverse("feedback_public:start"), {"code": suzuki_links[0].code})["Location"]
    assert first_tab != second_tab
    assert "佐藤 花子 さんへのフィードバック" in browser.get(first_tab).content.decode()
    assert browser.post(first_tab, answer_form(for_sato, Mark.NOT_YET)).status_code == 302  # the first tab
    assert Answer.objects.filter(request=for_sato).count() == 1
    assert Answer.objects.filter(request=for_suzuki).count() == 0  # not the link opened last
    assert "鈴木 一郎 さんへのフィードバック" in browser.get(second_tab).content.decode()  # still open


def test_an_answer_keeps_no_link_no_time_and_the_session_forgets_the_link(version: FrameworkVersion) -> None:
    owner = supporter(version)
    asked, links = new_request(owner, version, {RaterGroup.MUNICIPAL: 1})
    colleague = supporter(version, username="tanaka", display_name="田中 次郎")
    browser = signed_in(colleague)  # a teammate who uses bansou answers where they are signed in
    form = browser.post(reverse("feedback_public:start"), {"code": links[0].code})["Location"]
    assert browser.post(form, answer_form(asked)).status_code == 302
    fields = {f.name for f in Answer._meta.get_fields()}
    assert not fields & {"invitation", "submitted_at", "user", "session"}
    session = browser.session
    assert LINKS not in session or session[LINKS] == {}
    assert all(isinstance(key, str) and not key.isdigit() for key in session[DONE])
    assert links[0].invitation.pk not in [
        v for value in session.values() if isinstance(value, list) for v in value
    ]


def closed_with_comments(version: FrameworkVersion) -> tuple[FeedbackRequest, Client]:
    owner = supporter(version)
    asked, links = new_request(owner, version, {RaterGroup.MUNICIPAL: 4})
    for n, link in enumerate(links):  # each rater writes on two items: written order groups them by rater
        services.answer(
            link.invitation,
            dict.fromkeys(asked.items, Mark.SEEN),
            {asked.items[0]: f"{n}の1", asked.items[1]: f"{n}の2"},
        )
    services.close(asked, early=True)
    asked.refresh_from_db()
    return asked, signed_in(owner)


def test_comments_and_their_buttons_do_not_follow_the_order_they_were_written_in(
    version: FrameworkVersion,
) -> None:
    asked, client = closed_with_comments(version)
    page = client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()
    shown = re.findall(r"<p>(\d)の(\d)</p>", page)
    assert len(shown) == 8
    buttons = re.findall(r"/comments/([^/]+)/hide/", page)
    assert {str(c.public_id) for c in Comment.objects.all()} == set(buttons)
    assert not any(str(c.pk) == b for c in Comment.objects.all() for b in buttons)  # no row numbers
    exported = collect(asked.owner)["feedback_requests"][0]["comments"]
    assert [c["text"] for c in exported] == [f"{a}の{b}" for a, b in shown]  # the page's order, not written
    assert all(set(c) == {"item", "text", "hidden"} for c in exported)


def test_comments_cannot_be_hidden_before_the_page_shows_them(version: FrameworkVersion) -> None:
    owner = supporter(version)
    asked, links = new_request(owner, version, {RaterGroup.MUNICIPAL: 3})
    answer_by(links[0], comment="よく聞いてくださる")
    comment = Comment.objects.get()
    client = signed_in(owner)
    url = reverse("feedback:hide_comment", args=[asked.public_id, comment.public_id])
    assert client.post(url, {"hidden": "1"}).status_code == 404  # open: it must not tell the comment exists
    services.close(asked, early=True)  # one answer: nothing is shown
    assert client.post(url, {"hidden": "1"}).status_code == 404
    assert not Comment.objects.get().hidden


def test_a_request_makes_at_most_max_links_links(version: FrameworkVersion) -> None:
    owner = supporter(version)
    asked, _links = new_request(owner, version, {RaterGroup.MUNICIPAL: MAX_LINKS - 2})
    client = signed_in(owner)
    url = reverse("feedback:more_links", args=[asked.public_id])
    client.post(url, {"count": "3", "group": RaterGroup.OTHER.value})
    assert services.links_made(asked) == MAX_LINKS - 2
    client.post(url, {"count": "2", "group": RaterGroup.OTHER.value})
    assert services.links_made(asked) == MAX_LINKS
    client.post(url, {"count": "1", "group": RaterGroup.OTHER.value})
    assert services.links_made(asked) == MAX_LINKS
