"""Rate limits on the rater's pages (``feedback.limits``): counted per window in the database, and over a
limit the page answers 429 in Japanese — per link on the answer form, per address on codes that match
no link (guessing)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.domain.feedback import RaterGroup
from bansou.feedback import limits
from bansou.feedback.limits import Limit
from bansou.feedback.models import Answer, RateWindow
from bansou.frameworks.models import FrameworkVersion
from tests.feedback.requests_made import answer_form, new_request, rater_with_session, supporter

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = Limit("test", 3, 60)
TOO_MANY = "しばらくしてからもう一度お試しください"
START = 960.0  # the start of window 16 of THREE_A_MINUTE (960 // 60)


def test_a_window_takes_its_limit_then_refuses_until_the_next_window() -> None:
    assert [limits.spend(THREE_A_MINUTE, "link-1", now=START + s) for s in (0, 10, 20)] == [True] * 3
    assert limits.spent(THREE_A_MINUTE, "link-1", now=START + 59)
    assert limits.spend(THREE_A_MINUTE, "link-1", now=START + 59) is False
    assert limits.spend(THREE_A_MINUTE, "link-1", now=START + 60) is True  # the next window
    assert limits.spent(THREE_A_MINUTE, "link-1", now=START + 60) is False
    assert limits.spent(THREE_A_MINUTE, "link-1", now=START) is False  # ended: dropped with the new one


def test_spent_counts_nothing_and_a_fresh_subject_starts_at_zero() -> None:
    assert limits.spent(THREE_A_MINUTE, "fresh", now=START) is False
    for _n in range(10):
        assert limits.spent(THREE_A_MINUTE, "fresh", now=START) is False
    assert limits.spend(THREE_A_MINUTE, "fresh", now=START)
    assert limits.spend(THREE_A_MINUTE, "fresh", now=START)
    assert limits.spent(THREE_A_MINUTE, "fresh", now=START) is False  # two of three
    assert limits.spend(THREE_A_MINUTE, "fresh", now=START)
    assert limits.spent(THREE_A_MINUTE, "fresh", now=START) is True


def test_subjects_and_limits_are_counted_apart() -> None:
    other = Limit("other", 3, 60)
    for _n in range(3):
        assert limits.spend(THREE_A_MINUTE, "a", now=START)
    assert limits.spend(THREE_A_MINUTE, "a", now=START) is False
    assert limits.spend(THREE_A_MINUTE, "b", now=START) is True
    assert limits.spend(other, "a", now=START) is True
    counts = RateWindow.objects.filter(key__startswith="test:").values_list("count", flat=True)
    assert sorted(counts) == [1, 3]


def test_a_new_window_drops_those_that_ended_and_no_address_is_kept() -> None:
    now = 100 * limits.LINK.seconds
    limits.spend(limits.LINK, "198.51.100.7", now=now - limits.LINK.seconds)
    limits.spend(limits.LINK, "current", now=now - limits.LINK.seconds)
    assert RateWindow.objects.count() == 2
    limits.spend(limits.LINK, "current", now=now)
    assert RateWindow.objects.count() == 1
    (key,) = RateWindow.objects.values_list("key", flat=True)
    assert key.startswith("link:") and "current" not in key and len(key) == len("link:") + 64


def test_too_many_answer_posts_by_one_link_are_refused(
    version: FrameworkVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "LINK", Limit("link", 2, 600))
    asked, issued = new_request(supporter(version), version, {RaterGroup.MUNICIPAL: 2})
    rater = rater_with_session(issued[0].code)
    for _n in range(2):
        assert rater.post(rater.answer_url, {}).status_code == 400  # incomplete
    refused = rater.post(rater.answer_url, answer_form(asked))
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    assert not Answer.objects.exists()
    assert rater.get(rater.answer_url).status_code == 200  # reading is not posting
    other = rater_with_session(issued[1].code)  # another link counts on its own
    assert other.post(other.answer_url, answer_form(asked)).status_code == 302
    assert Answer.objects.count() == 1


def test_too_many_mistyped_codes_from_one_address_are_refused(
    version: FrameworkVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Codes that match nothing are limited per address; a right code still opens its form, so that one
    person's typos (or a prankster) behind a shared LGWAN address stop nobody else."""
    monkeypatch.setattr(limits, "GUESSES", Limit("guess", 2, 600))
    _asked, issued = new_request(supporter(version), version, {RaterGroup.MUNICIPAL: 1})
    guesser = Client(REMOTE_ADDR="192.0.2.7")
    for guess in ("A" * 20, "B" * 20):
        assert guesser.post(reverse("feedback_public:start"), {"code": guess}).status_code == 404
    refused = guesser.post(reverse("feedback_public:start"), {"code": "C" * 20})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    neighbour = Client(REMOTE_ADDR="192.0.2.7")  # the same address: a right code opens its form
    assert neighbour.post(reverse("feedback_public:start"), {"code": issued[0].code}).status_code == 302


def test_too_many_requests_from_one_address_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ADDRESS", Limit("address", 3, 600))
    visitor = Client(REMOTE_ADDR="192.0.2.9")
    assert [visitor.get(reverse("feedback_public:start")).status_code for _n in range(3)] == [200] * 3
    refused = visitor.get(reverse("feedback_public:start"))
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    assert Client(REMOTE_ADDR="192.0.2.10").get(reverse("feedback_public:start")).status_code == 200
