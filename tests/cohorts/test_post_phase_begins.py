"""The 事後 phase begins when the 事前 phase closes (issue 13, journey 2: 「事後の段階の前には、事後の
選択肢を出さない」). The rule as a table over the 研修's dates, then each way in: the participant's
hand-in, the organiser's paper entry, the 研修's page and the result's offer."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

import pytest
from django.urls import reverse

from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Phase, Submission
from bansou.domain.framework import Framework
from tests.cohorts.conftest import World
from tests.cohorts.test_reports import entry_workbook, newcomers, post_paper
from tests.reports.filling import everything, fill_cohort

TODAY = datetime.date(2026, 6, 1)
NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))


def cohort(pre_deadline: int, post_deadline: int = 30, pre_closed: int | None = None) -> Cohort:
    """Days relative to TODAY; ``pre_closed``: the day an organiser closed the 事前 phase early."""
    day = lambda n: TODAY + datetime.timedelta(days=n)  # noqa: E731
    return Cohort(
        starts_on=day(7),
        ends_on=day(8),
        pre_deadline=day(pre_deadline),
        post_deadline=day(post_deadline),
        pre_closed_at=None if pre_closed is None else NOW + datetime.timedelta(days=pre_closed),
    )


@pytest.mark.parametrize(
    ("the_cohort", "pre_open", "post_open", "post_opens_on"),
    [
        (cohort(pre_deadline=6), True, False, TODAY + datetime.timedelta(days=7)),
        (cohort(pre_deadline=0), True, False, TODAY + datetime.timedelta(days=1)),  # its last day
        (cohort(pre_deadline=-1), False, True, TODAY),  # closed at the end of yesterday
        (cohort(pre_deadline=6, pre_closed=0), False, True, TODAY),  # closed early today
        (cohort(pre_deadline=6, pre_closed=-2), False, True, TODAY - datetime.timedelta(days=2)),
        (cohort(pre_deadline=-5, post_deadline=-1), False, False, TODAY - datetime.timedelta(days=4)),
    ],
)
def test_the_post_phase_begins_when_the_pre_phase_closes(
    the_cohort: Cohort, pre_open: bool, post_open: bool, post_opens_on: datetime.date
) -> None:
    assert the_cohort.is_open(Phase.PRE, NOW) is pre_open
    assert the_cohort.is_open(Phase.POST, NOW) is post_open
    assert the_cohort.has_begun(Phase.POST, NOW) is (not pre_open)
    assert the_cohort.post_opens_on() == post_opens_on


def test_hand_in_refuses_a_post_check_before_the_pre_phase_closes(
    world: World, submitted: Callable[..., Check]
) -> None:
    participant = world.participants["participant"]
    later = submitted(world.people["participant"])
    with pytest.raises(services.NotYetOpen):
        services.hand_in(participant=participant, phase=Phase.POST, check_public_id=str(later.public_id))
    assert not Submission.objects.filter(participant=participant, phase=Phase.POST).exists()

    client = world.client("participant")
    response = client.post(
        reverse("cohorts:hand_in", args=[world.cohort.public_id, "post"]),
        {"post-check_id": str(later.public_id)},
        follow=True,
    )
    assert "事後チェックは、事前チェックの締切後（" in response.content.decode()
    assert not Submission.objects.filter(participant=participant, phase=Phase.POST).exists()

    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    services.hand_in(participant=participant, phase=Phase.POST, check_public_id=str(later.public_id))
    assert Submission.objects.get(participant=participant, phase=Phase.POST).check_record == later


def test_paper_entry_offers_the_post_phase_only_once_it_has_begun(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    page = world.client("organiser").get(reverse("cohorts:paper", args=[world.cohort.public_id]))
    html = page.content.decode()
    assert 'value="pre"' in html and 'value="post"' not in html
    assert "事後チェックは、事前チェックの締切後（" in html
    assert post_paper(world, body, "post").status_code == 400
    assert not Submission.objects.filter(participant=person).exists()
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    assert post_paper(world, body, "post").status_code == 302
    assert Submission.objects.get(participant=person).phase == Phase.POST


def test_the_organiser_is_told_when_the_post_phase_begins(world: World) -> None:
    url = reverse("cohorts:detail", args=[world.cohort.public_id])
    day = world.cohort.post_opens_on()
    html = world.client("organiser").get(url).content.decode()
    told = f"（{day.year}年{day.month}月{day.day}日から受付。事前チェックを締め切ると、その日から受け付けます"
    assert told in html
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    html = world.client("organiser").get(url).content.decode()
    assert "から受付" not in html
