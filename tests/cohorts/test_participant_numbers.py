"""Participants are numbered within their 研修 (1, 2, 3 ... as they join, never a number twice): the
codes of the paper entry workbook, which the upload matches to that 研修's participants only."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from bansou.cohorts import services as cohorts
from bansou.cohorts.models import Participant, Phase, Submission
from bansou.domain.framework import Framework
from bansou.reports.fillin import Code, Problem
from bansou.reports.fillin_messages import message
from tests.cohorts.conftest import World
from tests.cohorts.test_reports import entry_workbook, newcomers, post_paper
from tests.conftest import make_user
from tests.reports.filling import everything, fill_cohort
from tests.reports.hostile import make_corpus as corpus


def _codes(body: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True)["入力"]
    return [str(row[0]) for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True)]


def test_numbers_start_at_one_in_each_cohort_in_the_order_people_join(world: World) -> None:
    first, second = newcomers(world, 2)
    assert (world.participants["participant"].number, first.number, second.number) == (1, 2, 3)
    assert world.participants["other_participant"].number == 1  # the other 研修 counts on its own
    world.cohort.refresh_from_db()
    assert world.cohort.last_number == 3


def test_a_number_is_never_given_twice_not_even_after_someone_left(world: World) -> None:
    (leaver,) = newcomers(world, 1)
    cohorts.leave(participant=leaver)
    newcomer = cohorts.join(cohort=world.cohort, user=make_user("late", "遅 参加"))[0]
    assert newcomer.number == leaver.number + 1


def test_joining_twice_keeps_the_number(world: World) -> None:
    again, new = cohorts.join(cohort=world.cohort, user=world.people["participant"])
    assert (again.number, new) == (1, False)
    assert list(Participant.objects.filter(cohort=world.cohort).values_list("number", flat=True)) == [1]


def test_the_entry_workbook_lists_numbers_not_site_wide_ids(world: World) -> None:
    people = newcomers(world, 2)
    codes = _codes(entry_workbook(world))
    assert sorted(codes) == ["1", "2", "3"]
    assert not {str(p.pk) for p in people} - {"1", "2", "3"} or all(
        str(p.pk) not in codes for p in people[1:]
    )


def test_a_number_stands_for_this_cohorts_participant_only(world: World, framework: Framework) -> None:
    """Number 1 of this 研修 is 研修 一子; number 1 of the other 研修 is someone else, who gets nothing."""
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    assert post_paper(world, body).status_code == 302
    assert Submission.objects.filter(participant=person, phase=Phase.PRE).exists()
    other = world.participants["other_participant"]
    assert not Submission.objects.filter(participant=other).exists()
    assert person.number == 2 and other.number == 1


def test_a_row_of_someone_who_left_is_refused_by_number(world: World, framework: Framework) -> None:
    (leaver,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(leaver.number): everything(framework)})
    cohorts.leave(participant=leaver)
    cohorts.join(cohort=world.cohort, user=make_user("late", "遅 参加"))  # number 3, not the leaver's 2
    response = post_paper(world, body)
    assert response.status_code == 400
    assert "参加者番号「2」の人は、この研修の参加者ではありません。" in response.content.decode()
    assert (
        not Submission.objects.filter(participant__cohort=world.cohort, phase=Phase.PRE)
        .exclude(participant=world.participants["participant"])
        .exists()
    )


def _as_before_numbers(book: openpyxl.Workbook) -> None:
    """A workbook as made before the numbers: its codes listed under 「参加者コード」."""
    for row in book["メタデータ"].iter_rows(min_row=2):
        if row[0].value == "参加者番号":
            row[0].value = "参加者コード"
    book["入力"]["A1"] = "参加者コード"


def test_a_workbook_from_before_the_numbers_is_refused(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    response = post_paper(world, corpus.edited(body, _as_before_numbers))
    assert response.status_code == 400
    assert message(Problem(Code.OLD_CODES)) in response.content.decode()
    assert "ダウンロードし直して" in message(Problem(Code.OLD_CODES))
    assert not Submission.objects.filter(participant=person).exists()


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_entry_workbook_has_a_row_per_participant(world: World, count: int) -> None:
    newcomers(world, count)
    assert len(_codes(entry_workbook(world))) == count + 1
    url = reverse("cohorts:paper", args=[world.cohort.public_id])
    assert world.client("organiser").get(url).status_code == 200
