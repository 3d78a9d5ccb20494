"""Nothing the supporter sees changes after a request closes (issue 16): no answer comes by a link that
was left, no paper answer is typed in, hiding a comment's text takes no answer away and moves no
comment, closing again or settling again makes no new comparison. And answers the supporter typed in
from paper are known to them: they are counted in the figures but not towards the three."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bansou.disclosure.services import decide_apart
from bansou.domain.feedback import MIN_RATERS, Mark, RaterGroup, Response, views_to_ask
from bansou.feedback import services
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.frameworks.models import FrameworkVersion
from tests.domain.test_feedback_rules import decide
from tests.feedback.requests_made import (
    answer_by,
    answer_form,
    marks_for,
    new_request,
    rater_with_session,
    signed_in,
    supporter,
    typed_in,
)

pytestmark = pytest.mark.django_db

COMMENT_IDS = re.compile(r"/comments/([0-9a-f-]{36})/hide/")
WORDS = ["とても丁寧に聞いてくださる", "会議の進め方が上手", "資料がわかりやすい", "もう少し待ってほしい"]


def kept(asked: FeedbackRequest) -> tuple[Any, ...]:
    asked.refresh_from_db()
    return asked.comparison, asked.comment_seed, asked.closed_at, asked.closed_early


def page(client: Client, asked: FeedbackRequest) -> str:
    response = client.get(reverse("feedback:detail", args=[asked.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def closed_with_answers(version: FrameworkVersion) -> tuple[FeedbackRequest, Client, list[str]]:
    """Four answered by link (each with a comment), one typed in, two links left over, closed."""
    owner = supporter(version)
    asked, issued = new_request(owner, version, {RaterGroup.MUNICIPAL: 6})
    for link, words in zip(issued[:4], WORDS, strict=True):
        answer_by(link, Mark.SEEN if words != WORDS[-1] else Mark.NOT_YET, comment=words)
    typed_in(asked, Mark.UNKNOWN, comment="紙でいただいたコメント")
    rater = rater_with_session(issued[4].code)  # a rater who opened the form before the close
    client = signed_in(owner)
    assert client.post(reverse("feedback:close", args=[asked.public_id])).status_code == 302
    return asked, rater, [link.code for link in issued[4:]]


def test_a_closed_request_takes_no_answer_by_the_links_left_over(version: FrameworkVersion) -> None:
    asked, rater, left = closed_with_answers(version)
    before = kept(asked)
    assert before[0]["shown"] and before[0]["answers"] == 5
    refused = rater.post(rater.answer_url, answer_form(asked))
    assert refused.status_code == 410 and "この依頼は締め切られました" in refused.content.decode()
    stranger = Client().post(reverse("feedback_public:start"), {"code": left[1]})
    assert stranger.status_code == 410 and "この依頼は締め切られました" in stranger.content.decode()
    link = services.find_link(left[1])
    assert link.state is services.LinkState.CLOSED and link.invitation is not None
    with pytest.raises(services.NotOpen):
        services.answer(link.invitation, marks_for(asked, Mark.SEEN), {})
    assert Answer.objects.filter(request=asked).count() == 5
    assert kept(asked) == before


def test_no_paper_answer_is_typed_in_after_close(version: FrameworkVersion) -> None:
    asked, _rater, _left = closed_with_answers(version)
    before = kept(asked)
    with pytest.raises(services.NotOpen):
        typed_in(asked)
    client = signed_in(asked.owner)
    form = answer_form(asked) | {"group": RaterGroup.OTHER.value}
    sent = client.post(reverse("feedback:paper", args=[asked.public_id]), form)
    assert sent.status_code == 302 and sent["Location"] == reverse("feedback:detail", args=[asked.public_id])
    assert Answer.objects.filter(request=asked).count() == 5
    assert kept(asked) == before


def test_hiding_a_comment_takes_nothing_away_and_moves_nothing(version: FrameworkVersion) -> None:
    asked, _rater, _left = closed_with_answers(version)
    before = kept(asked)
    client = signed_in(asked.owner)
    shown = page(client, asked)
    order = COMMENT_IDS.findall(shown)
    assert len(order) == 5 and all(words in shown for words in WORDS)
    assert "5件の回答を合わせた集計です" in shown
    hidden = Comment.objects.get(text=WORDS[0])
    url = reverse("feedback:hide_comment", args=[asked.public_id, hidden.public_id])
    assert client.post(url, {"hidden": "1"}).status_code == 302
    after = page(client, asked)
    assert WORDS[0] not in after and "（本文を隠しています）" in after
    assert all(words in after for words in WORDS[1:])
    assert COMMENT_IDS.findall(after) == order
    assert "5件の回答を合わせた集計です" in after
    assert Answer.objects.filter(request=asked).count() == 5 and Comment.objects.count() == 5
    assert kept(asked) == before
    assert client.post(url, {"hidden": "0"}).status_code == 302
    again = page(client, asked)
    assert WORDS[0] in again and COMMENT_IDS.findall(again) == order
    assert kept(asked) == before


def test_closing_or_settling_again_changes_nothing(version: FrameworkVersion) -> None:
    asked, _rater, _left = closed_with_answers(version)
    before = kept(asked)
    assert services.close(asked) is False
    assert services.close(asked, early=False) is False
    services.settle(asked, today=asked.closes_on + datetime.timedelta(days=30))
    client = signed_in(asked.owner)
    assert client.post(reverse("feedback:close", args=[asked.public_id])).status_code == 302
    assert kept(asked) == before


def test_a_request_closed_by_its_date_makes_its_comparison_once(version: FrameworkVersion) -> None:
    owner = supporter(version)
    asked, issued = new_request(owner, version, {RaterGroup.MUNICIPAL: 3, RaterGroup.TEAMMATE: 3})
    for link in issued:
        answer_by(link)
    services.settle(asked, today=asked.closes_on)  # the closing day itself: still open
    asked.refresh_from_db()
    assert not asked.closed and asked.comparison is None
    services.settle(asked, today=asked.closes_on + datetime.timedelta(days=1))
    before = kept(asked)
    assert before[2] is not None and before[3] is False  # closed, by its date
    assert before[0]["shown"] and before[0]["answers"] == 6
    assert [g["group"] for g in before[0]["by_group"]] == ["municipal", "teammate"]
    services.settle(asked, today=asked.closes_on + datetime.timedelta(days=2))
    assert services.close(asked) is False
    assert kept(asked) == before


@pytest.mark.parametrize(("by_link", "on_paper", "shown"), [(2, 5, False), (3, 2, True)])
def test_typed_in_answers_do_not_count_towards_the_three(
    version: FrameworkVersion, by_link: int, on_paper: int, shown: bool
) -> None:
    owner = supporter(version)
    asked, issued = new_request(owner, version, {RaterGroup.MUNICIPAL: by_link})
    for link in issued:
        answer_by(link, comment="リンクからのコメント")
    for _n in range(on_paper):
        typed_in(asked, comment="紙のコメント")
    assert services.close(asked) is True
    comparison = kept(asked)[0]
    assert comparison["shown"] is shown
    assert comparison["answers"] == by_link + on_paper
    text = page(signed_in(owner), asked)
    if shown:
        assert "5件の回答を合わせた集計です" in text and "紙のコメント" in text
        assert all(item["judged"] == 5 and item["seen"] == 5 for item in comparison["items"])
    else:
        assert comparison["items"] == [] and comparison["by_group"] == []
        assert "集計もコメントも表示しません" in text
        assert "リンクからのコメント" not in text and "紙のコメント" not in text


def test_the_rules_tests_decide_as_the_disclosure_service_does() -> None:
    """tests/domain/test_feedback_rules.py runs ``disclose`` as ``decide_apart`` does (it cannot import
    Django); here both decide the same answers alike."""
    groups = list(RaterGroup)
    for count in range(0, 16):
        for paper_every in (2, 3, 5):
            responses = [
                Response(i, groups[i * 7 % 3 if i % 4 else 0], {}, typed_in=i % paper_every == 0)
                for i in range(1, count + 1)
            ]
            asked = views_to_ask(responses)
            if asked is None:
                assert decide(asked) == []
                continue
            service = decide_apart(asked.requests(), known=asked.known, minimum=MIN_RATERS)
            assert service == decide(asked)
