"""研修 totals as PDF, xlsx and CSV under the five-person rule, and paper results typed into the entry
workbook and recorded all or nothing."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.checks.models import Check, CheckStanding
from bansou.checks.queries import answers_of
from bansou.cohorts import services as cohorts
from bansou.cohorts.models import Participant, Phase, Submission
from bansou.domain.framework import Framework
from bansou.domain.scoring import Answer
from tests.cohorts.conftest import World
from tests.cohorts.test_pages import close_both, enrol
from tests.conftest import make_user
from tests.reports.filling import column_of, everything, fill_cohort
from tests.reports.pdfcheck import assert_sound_pdf, pdf_of, squeeze

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# 研修: the totals, under the five-person rule ----------------------------------------------------


def test_the_cohort_totals_pdf_keeps_the_five_person_rule(
    world: World, submitted: Callable[..., Check]
) -> None:
    cohort = world.cohort
    url = reverse("cohorts:results_pdf", args=[cohort.public_id])
    for n in range(3):  # four in all with the world's participant
        user = make_user(f"pdf{n}", f"参加 {n}号")
        participant, _ = cohorts.join(cohort=cohort, user=user)
        cohorts.hand_in(
            participant=participant, phase=Phase.PRE, check_public_id=str(submitted(user).public_id)
        )
    cohorts.close_phase(cohort=cohort, phase=Phase.PRE)
    text = squeeze(assert_sound_pdf(pdf_of(world.client("organiser"), url)))
    assert "5人未満のため表示しません" in text
    assert "%" not in text and "エレメントごとの割合" not in text  # no figure, no table
    assert world.client("participant").get(url).status_code == 403
    assert world.client("other_staff").get(url).status_code == 404


def totals_rows(
    world: World, name: str = "cohorts:results_xlsx"
) -> tuple[list[tuple[object, ...]], dict[str, str], list[str]]:
    response = world.client("organiser").get(reverse(name, args=[world.cohort.public_id]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["集計", "コード表", "メタデータ"]
    rows = list(book["集計"].iter_rows(min_row=2, values_only=True))
    meta = list(book["メタデータ"].iter_rows(min_row=2, values_only=True))
    rules = [str(v) for k, v in meta if k == "適用したルール"]
    return rows, {str(k): str(v) for k, v in meta}, rules


def test_the_totals_workbook_has_only_what_the_rule_shows(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    enrol(world.cohort, 5, submitted, framework, post=4)  # six 事前 with the world's participant, four 事後
    close_both(world.cohort)
    rows, meta, rules = totals_rows(world)
    assert {r[0] for r in rows} == {"pre"}  # 事後 (4) and the change are withheld
    assert all(r[1] == 6 for r in rows)
    assert len(rows) == 9 + len(framework.item_codes())
    by_code = {(r[2], r[3]): r for r in rows}
    assert by_code[("element", "9")][4] == 6 - 3  # three of the six lack 理解 on element 9 (even n)
    assert meta["組織"] == "東京都 福祉局"
    assert any("5人未満" in rule for rule in rules)
    assert any(rule.startswith("事後：") for rule in rules)


def test_the_totals_csv_matches_the_workbook(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    enrol(world.cohort, 5, submitted, framework, post=5)
    later = submitted(world.people["participant"])  # all six hand in both: the change is shown
    cohorts.hand_in(
        participant=world.participants["participant"], phase=Phase.POST, check_public_id=str(later.public_id)
    )
    close_both(world.cohort)
    rows, _meta, _rules = totals_rows(world)
    body = (
        world.client("organiser").get(reverse("cohorts:results_csv", args=[world.cohort.public_id])).content
    )
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [tuple(r) for r in read[1:]] == [tuple("" if v is None else str(v) for v in r) for r in rows]
    assert {r[0] for r in rows} == {"pre", "post", "paired_pre", "paired_post"}


def test_a_cohort_of_four_exports_no_figures(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    enrol(world.cohort, 3, submitted, framework)
    close_both(world.cohort)
    rows, _meta, rules = totals_rows(world)
    assert rows == []
    assert any("5人未満のため表示しません" in rule for rule in rules)


@pytest.mark.parametrize(
    "name", ["cohorts:results_xlsx", "cohorts:results_csv", "cohorts:paper", "cohorts:paper_xlsx"]
)
@pytest.mark.parametrize(
    ("persona", "status"), [("participant", 403), ("other_staff", 404), ("anonymous", 302)]
)
def test_only_organisers_reach_the_totals_files_and_paper_entry(
    world: World, name: str, persona: str, status: int
) -> None:
    assert world.client(persona).get(reverse(name, args=[world.cohort.public_id])).status_code == status


# Paper results typed in -------------------------------------------------------------------------


def entry_workbook(world: World) -> bytes:
    response = world.client("organiser").get(reverse("cohorts:paper_xlsx", args=[world.cohort.public_id]))
    assert response.status_code == 200
    return response.content


def post_paper(
    world: World, body: bytes, phase: str = "pre", *, follow: bool = False, on: datetime.date | None = None
) -> Any:
    file = SimpleUploadedFile("entry.xlsx", body, content_type=XLSX)
    answered_on = (on or timezone.localdate()).isoformat()
    return world.client("organiser").post(
        reverse("cohorts:paper", args=[world.cohort.public_id]),
        {"phase": phase, "file": file, "answered_on": answered_on},
        follow=follow,
    )


def newcomers(world: World, count: int) -> list[Participant]:
    return [
        cohorts.join(cohort=world.cohort, user=make_user(f"paper{n}", f"紙 {n}子", furigana=f"カミ {n}"))[0]
        for n in range(count)
    ]


def test_paper_answers_become_each_participants_check_handed_in(world: World, framework: Framework) -> None:
    people = newcomers(world, 3)
    codes = framework.item_codes()
    mostly = everything(framework) | {codes[0]: ("いいえ", "いいえ")}
    body = fill_cohort(
        entry_workbook(world),
        framework,
        {
            str(people[0].number): everything(framework),
            str(people[1].number): mostly,
        },  # people[2] answered nothing
    )
    response = post_paper(world, body, follow=True)
    assert response.redirect_chain == [(reverse("cohorts:detail", args=[world.cohort.public_id]), 302)]
    assert "2 人分の事前チェックを記録しました" in response.content.decode()
    for participant, expected_first in ((people[0], (1, 1)), (people[1], (0, 0))):
        submission = Submission.objects.get(participant=participant, phase=Phase.PRE)
        check = submission.check_record
        assert check.owner_id == participant.user_id
        assert check.entered_by == world.people["organiser"]
        assert check.framework_id == world.cohort.framework_id
        assert answers_of(check)[codes[0]] == Answer(*expected_first)
        assert len(answers_of(check)) == len(codes)
        assert CheckStanding.objects.filter(check_record=check).count() == 9
    assert not Submission.objects.filter(participant=people[2]).exists()


def test_the_owner_sees_who_typed_their_check_in(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    post_paper(
        world, fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    )
    check = Submission.objects.get(participant=person).check_record
    owner = Client()
    owner.force_login(person.user)
    html = owner.get(reverse("checks:result", args=[check.public_id])).content.decode()
    assert "紙の回答から入力" in html and "県庁 主催" in html


def test_one_bad_row_records_nothing(world: World, framework: Framework) -> None:
    people = newcomers(world, 2)
    incomplete = everything(framework) | {framework.item_codes()[3]: ("はい", None)}
    body = fill_cohort(
        entry_workbook(world),
        framework,
        {str(people[0].number): everything(framework), str(people[1].number): incomplete},
    )
    before = Check.objects.count()
    response = post_paper(world, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "何も記録していません" in html
    assert column_of(framework, framework.item_codes()[3], "実践") in html
    assert Check.objects.count() == before
    assert not Submission.objects.filter(participant__in=people).exists()


def test_someone_who_already_handed_in_refuses_the_file(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    already = world.participants["participant"]  # handed in a 事前 check in the world
    body = fill_cohort(
        entry_workbook(world),
        framework,
        {str(person.number): everything(framework), str(already.number): everything(framework)},
    )
    response = post_paper(world, body)
    assert response.status_code == 409
    assert "すでに提出しています" in response.content.decode()
    assert not Submission.objects.filter(participant=person).exists()


def test_a_closed_phase_takes_no_paper(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    cohorts.close_phase(cohort=world.cohort, phase=Phase.PRE)
    assert post_paper(world, body, "pre").status_code == 400
    assert post_paper(world, body, "post").status_code == 302  # the 事後 phase is still open
    assert Submission.objects.get(participant=person).phase == Phase.POST


def test_another_cohorts_workbook_is_refused(world: World, framework: Framework) -> None:
    other = world.client("other_staff").get(
        reverse("cohorts:paper_xlsx", args=[world.other_cohort.public_id])
    )
    response = post_paper(world, other.content)
    assert response.status_code == 400
    assert "別の研修" in response.content.decode()


HOSTILE = sorted(
    p for p in (Path(__file__).parents[1] / "reports" / "hostile").iterdir() if p.suffix != ".py"
)


def test_every_hostile_file_is_refused_by_the_paper_page_and_records_nothing(world: World) -> None:
    """One 研修 for the whole corpus (a world per file would take a minute): every file is checked."""
    before = Check.objects.count()
    wrong = {}
    for path in HOSTILE:
        response = post_paper(world, path.read_bytes())
        if response.status_code != 400 or "何も記録していません" not in response.content.decode():
            wrong[path.name] = response.status_code
    assert wrong == {}
    assert Check.objects.count() == before
    assert Submission.objects.filter(participant__cohort=world.cohort).count() == 1  # the world's own


def test_someone_who_left_after_the_download_does_not_spoil_the_file(
    world: World, framework: Framework
) -> None:
    stays, goes = newcomers(world, 2)
    body = fill_cohort(entry_workbook(world), framework, {str(stays.number): everything(framework)})
    cohorts.leave(participant=goes)
    assert post_paper(world, body).status_code == 302
    assert Submission.objects.filter(participant=stays, phase=Phase.PRE).exists()


def test_the_check_is_dated_the_day_it_was_answered(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    day = timezone.localdate() - datetime.timedelta(days=3)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    assert post_paper(world, body, on=day).status_code == 302
    check = Submission.objects.get(participant=person).check_record
    assert timezone.localdate(check.submitted_at) == day
    assert check.entered_by_name == "県庁 主催"


def test_a_post_check_answered_before_the_pre_check_is_refused(
    world: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    participant = world.participants["participant"]  # handed in a 事前 check today
    cohorts.close_phase(cohort=world.cohort, phase=Phase.PRE)  # the 事後 phase has begun
    body = fill_cohort(entry_workbook(world), framework, {str(participant.number): everything(framework)})
    response = post_paper(world, body, "post", on=timezone.localdate() - datetime.timedelta(days=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "研修 一子 さん" in html and "事前チェックが、回答した日より後の日付です" in html
    assert not Submission.objects.filter(participant=participant, phase=Phase.POST).exists()


def test_a_pre_check_for_someone_who_handed_in_a_post_check_is_refused(
    world: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    (person,) = newcomers(world, 1)
    # A 事後 hand-in while the 事前 phase is open: no longer possible (the 事後 phase begins when the
    # 事前 one closes), but kept by 研修 from before that rule, so the paper entry still refuses it.
    Submission.objects.create(participant=person, phase=Phase.POST, check_record=submitted(person.user))
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    response = post_paper(world, body)
    assert response.status_code == 409
    assert "事後チェックを先に提出している" in response.content.decode()
    assert not Submission.objects.filter(participant=person, phase=Phase.PRE).exists()


def test_a_phase_closed_while_the_file_was_read_records_nothing(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    cohorts.close_phase(cohort=world.cohort, phase=Phase.PRE)
    answers = dict.fromkeys(framework.item_codes(), (1, 1))
    with pytest.raises(cohorts.PhaseClosed):
        cohorts.enter_paper_results(
            cohort=world.cohort,
            phase=Phase.PRE,
            rows=[cohorts.PaperRow(row=2, participant_id=person.pk, answers=answers)],
            entered_by=world.people["organiser"],
            answered_on=timezone.localdate(),
        )
    assert not Submission.objects.filter(participant=person).exists()
    assert body  # the file itself was fine


def test_the_paper_upload_needs_the_csrf_token(world: World, framework: Framework) -> None:
    (person,) = newcomers(world, 1)
    body = fill_cohort(entry_workbook(world), framework, {str(person.number): everything(framework)})
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["organiser"])
    url = reverse("cohorts:paper", args=[world.cohort.public_id])
    data = {"phase": "pre", "answered_on": timezone.localdate().isoformat()}
    file = SimpleUploadedFile("entry.xlsx", body, content_type=XLSX)
    assert client.post(url, {**data, "file": file}).status_code == 403
    assert not Submission.objects.filter(participant=person).exists()
    token = client.get(url).context["csrf_token"]
    file = SimpleUploadedFile("entry.xlsx", body, content_type=XLSX)
    assert client.post(url, {**data, "file": file, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert Submission.objects.filter(participant=person).exists()


def test_paper_answers_the_organiser_knows_do_not_open_a_small_group(
    world: World, framework: Framework
) -> None:
    """One check handed in online and four typed in: totals over five would give away the one."""
    people = newcomers(world, 4)
    body = fill_cohort(
        entry_workbook(world), framework, {str(p.number): everything(framework) for p in people}
    )
    assert post_paper(world, body).status_code == 302
    cohorts.close_phase(cohort=world.cohort, phase=Phase.PRE)
    html = world.client("organiser").get(reverse("cohorts:results", args=[world.cohort.public_id])).content
    assert "5人未満のため表示しません" in html.decode()
    rows, _meta, _rules = totals_rows(world)
    assert rows == []


def test_a_workshop_answered_entirely_on_paper_shows_its_totals(world: World, framework: Framework) -> None:
    cohorts.leave(participant=world.participants["participant"])  # nobody online
    people = newcomers(world, 5)
    body = fill_cohort(
        entry_workbook(world), framework, {str(p.number): everything(framework) for p in people}
    )
    assert post_paper(world, body).status_code == 302
    cohorts.close_phase(cohort=world.cohort, phase=Phase.PRE)
    rows, _meta, _rules = totals_rows(world)
    assert {r[0] for r in rows} == {"pre"} and all(r[1] == 5 for r in rows)
