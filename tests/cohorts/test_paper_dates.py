"""Paper answers are dated within a window: from 90 days before the 研修's first day to today (a slip
such as 1900-01-01 would put the check in 「1899年度」 of the person's history); the page says so."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bansou.cohorts import services as cohorts
from bansou.cohorts.models import Phase, Submission
from bansou.domain.framework import Framework
from tests.cohorts.conftest import World
from tests.cohorts.test_reports import XLSX, entry_workbook, newcomers
from tests.reports.filling import everything, fill_cohort


def _day(world: World, name: str) -> str:
    """A day named relative to the 研修 (its first day is a week ahead) and today."""
    today, starts = timezone.localdate(), world.cohort.starts_on
    days = {
        "today": today,
        "yesterday": today - datetime.timedelta(days=1),
        "tomorrow": today + datetime.timedelta(days=1),
        "90 days before the first day": starts - datetime.timedelta(days=90),
        "91 days before the first day": starts - datetime.timedelta(days=91),
        "the first day (ahead)": starts,
    }
    return days[name].isoformat() if name in days else name


@pytest.mark.parametrize(
    ("answered_on", "accepted"),
    [
        ("today", True),
        ("yesterday", True),
        ("90 days before the first day", True),
        ("91 days before the first day", False),
        ("tomorrow", False),
        ("the first day (ahead)", False),
        ("1900-01-01", False),
        ("0001-01-01", False),
        ("9999-12-31", False),
        ("", False),
        ("2026-02-30", False),
        ("令和8年4月1日", False),
    ],
)
def test_the_answer_date_lies_between_90_days_before_the_first_day_and_today(
    world: World, framework: Framework, answered_on: str, accepted: bool
) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    file = SimpleUploadedFile("entry.xlsx", body, content_type=XLSX)
    response = world.client("organiser").post(
        reverse("cohorts:paper", args=[world.cohort.public_id]),
        {"phase": "pre", "file": file, "answered_on": _day(world, answered_on)},
    )
    assert response.status_code == (302 if accepted else 400)
    assert Submission.objects.filter(participant=person).exists() is accepted
    if not accepted:
        earliest = world.cohort.starts_on - datetime.timedelta(days=90)
        html = response.content.decode()
        assert "回答した日は、研修の初日" in html
        assert f"{earliest.year}年{earliest.month}月{earliest.day}日 から、今日" in html


def test_the_page_states_the_window_of_answer_dates(world: World) -> None:
    page = world.client("organiser").get(reverse("cohorts:paper", args=[world.cohort.public_id]))
    earliest = world.cohort.starts_on - datetime.timedelta(days=90)
    html = page.content.decode()
    assert f'min="{earliest.isoformat()}"' in html and f'max="{timezone.localdate().isoformat()}"' in html
    assert "の 90 日前の" in html


def test_the_service_refuses_a_day_outside_the_window(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    row = cohorts.PaperRow(2, person.pk, dict.fromkeys(framework.item_codes(), (1, 1)))
    with pytest.raises(cohorts.DateOutside):
        cohorts.enter_paper_results(
            cohort=world.cohort,
            phase=Phase.PRE,
            rows=[row],
            entered_by=world.people["organiser"],
            answered_on=datetime.date(1900, 1, 1),
        )
    assert not Submission.objects.filter(participant=person).exists()
