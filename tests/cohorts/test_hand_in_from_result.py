"""Handing a check in to a 研修 from its result (issue 13, journey 2), with Django's test client.

The result offers 「この研修の事前（事後）チェックとして提出する」 for each 研修 the person takes part in
whose phase is open and not yet handed in, the one the check was started from first; the 事後 choice
only for a check that ``hand_in`` takes (submitted after the 事前 one), on the result and the 研修's page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check, Draft
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Participant, Phase, StartedCheck, Submission
from bansou.cohorts.presenters import next_step
from tests.cohorts.conftest import World, new_cohort
from tests.conftest import make_user

PRE_OFFER = "この研修の事前チェックとして提出する"
POST_OFFER = "この研修の事後チェックとして提出する"


def result_html(client: Client, check: Check) -> str:
    response = client.get(reverse("checks:result", args=[check.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def newcomer(world: World, *cohorts: Cohort) -> tuple[User, Client]:
    user = make_user("newcomer", "新人 五郎", furigana="シンジン ゴロウ")
    for cohort in cohorts:
        services.join(cohort=cohort, user=user)
    client = Client()
    client.force_login(user)
    return user, client


def test_a_check_started_from_a_cohort_knows_it_and_offers_that_cohort_first(
    world: World, submitted: Callable[..., Check]
) -> None:
    second = new_cohort(world.org, world.people["organiser"], name="ファシリテーション研修")
    user, client = newcomer(world, world.cohort, second)

    response = client.post(reverse("cohorts:start_check", args=[second.public_id]))
    draft = Draft.objects.get(owner=user)
    assert response.url == reverse("checks:sheet", args=[draft.public_id])  # type: ignore[attr-defined]
    assert StartedCheck.objects.get(draft_public_id=draft.public_id).participant.cohort == second
    check = submitted(user)  # submits that same draft
    assert check.draft_public_id == draft.public_id

    html = result_html(client, check)
    assert html.count(PRE_OFFER) == 2  # both 研修 the person is in, where nothing is handed in yet
    assert html.index("ファシリテーション研修") < html.index("地域づくり伴走支援研修")  # started from: first
    assert "このチェックは、この研修のページから始めたものです。" in html
    assert "大阪府 研修" not in html  # a 研修 the person is not in
    assert "あなたの回答そのものは、主催者にもほかの参加者にも見えません。" in html  # what the organiser sees
    assert html.count('id="limits-of-totals"') == 1
    # The offer comes after the summary of the result, not above the whole result.
    assert (
        html.index("3つの力ごとのまとめ")
        < html.index("研修に提出する")
        < html.index("エレメントごとの理解と実践")
    )


def test_a_visitor_and_someone_in_no_cohort_are_offered_nothing(
    world: World, submitted: Callable[..., Check]
) -> None:
    supporter = world.people["org_supporter"]
    assert "研修に提出する" not in result_html(world.client("org_supporter"), submitted(supporter))


def test_a_closed_phase_is_not_offered(world: World, submitted: Callable[..., Check]) -> None:
    user, client = newcomer(world, world.cohort)
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    services.close_phase(cohort=world.cohort, phase=Phase.POST)
    assert "研修に提出する" not in result_html(client, submitted(user))


def test_the_post_check_is_offered_only_for_a_check_after_the_pre_check(
    world: World, submitted: Callable[..., Check]
) -> None:
    client = world.client("participant")
    pre = Submission.objects.get(participant=world.participants["participant"], phase=Phase.PRE).check_record
    html = result_html(client, pre)  # handed in as the 事前 check: nothing more to offer for it
    assert PRE_OFFER not in html and POST_OFFER not in html

    later = submitted(world.people["participant"])
    html = result_html(client, later)
    assert POST_OFFER not in html and PRE_OFFER not in html  # the 事後 phase has not begun

    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    html = result_html(client, later)
    assert POST_OFFER in html and PRE_OFFER not in html


def test_before_a_later_check_the_cohort_page_offers_no_post_choice(
    world: World, submitted: Callable[..., Check]
) -> None:
    client = world.client("participant")
    url = reverse("cohorts:detail", args=[world.cohort.public_id])
    html = client.get(url).content.decode()
    assert "事後チェックとして提出する</button>" not in html  # the 事前 check alone: hand_in would refuse it
    assert "事前チェックは提出済みです。" in html
    assert "次にすること：" in html and "のあとに、もう一度チェックをして事後チェックとして提出する" in html

    later = submitted(world.people["participant"])
    html = client.get(url).content.decode()
    assert "事後チェックとして提出する</button>" not in html  # not before the 事前 phase closes
    assert "事後チェックは、事前チェックの締切後（" in html

    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    html = client.get(url).content.decode()
    assert "事後チェックとして提出する</button>" in html
    post_form = html[html.index('id="id_post-check_id"') :]
    assert str(later.public_id) in post_form[: post_form.index("</select>")]
    pre = Submission.objects.get(participant=world.participants["participant"], phase=Phase.PRE).check_record
    assert str(pre.public_id) not in post_form[: post_form.index("</select>")]


def test_the_cohort_page_tells_a_newcomer_to_do_the_pre_check(world: World) -> None:
    _user, client = newcomer(world, world.cohort)
    html = client.get(reverse("cohorts:detail", args=[world.cohort.public_id])).content.decode()
    assert "次にすること：</strong>事前チェックをして、提出する（締切 " in html
    assert "提出できるチェックがまだありません。" in html


def test_handing_in_from_the_result_works_once_and_again(
    world: World, submitted: Callable[..., Check]
) -> None:
    user, client = newcomer(world, world.cohort)
    check = submitted(user)
    url = reverse("cohorts:hand_in", args=[world.cohort.public_id, "pre"])
    for _ in range(2):  # pressed twice (or Back and again): one hand-in, the same check
        response = client.post(url, {"pre-check_id": str(check.public_id)}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("cohorts:detail", args=[world.cohort.public_id])
        assert "事前チェックを提出しました。" in response.content.decode()
    participant = Participant.objects.get(cohort=world.cohort, user=user)
    assert [s.check_record for s in Submission.objects.filter(participant=participant)] == [check]
    assert PRE_OFFER not in result_html(client, check)  # handed in: no longer offered
    status = world.client("organiser").get(reverse("cohorts:detail", args=[world.cohort.public_id]))
    row = status.content.decode().split("新人 五郎")[1]
    assert row.index("提出済み") < row.index("</tr>")


def test_the_result_takes_the_same_queries_for_one_cohort_or_four(
    world: World, submitted: Callable[..., Check]
) -> None:
    user, client = newcomer(world, world.cohort)
    submitted(user)  # each result below has a previous check to compare with
    counts = []
    for extra in range(2):
        if extra:
            for n in range(3):
                services.join(cohort=new_cohort(world.org, world.people["organiser"], f"研修{n}"), user=user)
        check = submitted(user)
        with CaptureQueriesContext(connection) as queries:
            html = result_html(client, check)
        assert html.count(PRE_OFFER) == 1 + 3 * extra
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _cohort(*, pre_closed: bool = False, post_closed: bool = False) -> Cohort:
    today = timezone.localdate()
    return Cohort(
        starts_on=datetime.date(2026, 6, 8),
        ends_on=datetime.date(2026, 6, 9),
        pre_deadline=today + datetime.timedelta(days=6),
        post_deadline=today + datetime.timedelta(days=30),
        pre_closed_at=timezone.now() if pre_closed else None,
        post_closed_at=timezone.now() if post_closed else None,
    )


@pytest.mark.parametrize(
    ("cohort", "handed", "ready", "done", "todo"),
    [
        (_cohort(), set(), set(), "", "事前チェックをして、提出する"),
        (_cohort(), set(), {"pre"}, "", "事前チェックとして提出するチェックを下で選んで、提出する"),
        (
            _cohort(),
            {"pre"},
            set(),
            "事前チェックは提出済みです。",
            "研修（2026年6月8日〜2026年6月9日）のあとに、もう一度チェックをして事後チェックとして提出する",
        ),
        (
            _cohort(),
            {"pre"},
            {"post"},
            "事前チェックは提出済みです。事後チェックは、事前チェックの締切後（",
            "もう一度チェックをして事後チェックとして提出する",
        ),
        (
            _cohort(pre_closed=True),
            {"pre"},
            {"post"},
            "事前チェックは提出済みです。",
            "事後チェックとして提出するチェックを下で選んで",
        ),
        (
            _cohort(pre_closed=True),
            {"pre", "post"},
            set(),
            "事後チェックも提出済みです。締切までは選び直せます。",
            "",
        ),
        (
            _cohort(pre_closed=True),
            set(),
            set(),
            "事前チェックは締め切られました（未提出）。",
            "事後チェック",
        ),
        (_cohort(pre_closed=True, post_closed=True), {"pre"}, set(), "事後チェックは締め切られました", ""),
    ],
)
def test_the_next_step_follows_what_was_handed_in_and_what_is_open(
    cohort: Cohort, handed: set[str], ready: set[str], done: str, todo: str
) -> None:
    step = next_step(cohort, handed, ready)
    assert done in step.done
    assert (todo in step.todo) if todo else step.todo == ""
    if step.todo:
        assert "（締切 " in step.todo
