"""研修 end to end through the views: create, join, hand in, status, closing, totals under the five-person
rule, the projector, the organisation's overview; and the queries each page needs."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Participant, Phase, Submission
from bansou.domain.framework import Axis, Framework
from bansou.invitations.codes import format_code, normalise_code
from bansou.invitations.models import Kind
from bansou.invitations.services import find_usable
from bansou.orgs.models import Membership
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience, ShareChoice
from tests.cohorts.conftest import TODAY, World, new_cohort
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TOO_FEW = "5人未満のため表示しません。"
DIFFERENCE = (
    "これまでに示した別の集計（ほかの組織のものも含みます）との差から5人未満の人の回答が"
    "分かってしまうため、表示しません。"
)
NOT_YET = "締切後に表示します"


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def answers_of(n: int, framework: Framework) -> Callable[[str, Axis], int]:
    """Participant ``n``: ○ on both axes, except 実践 × on the items of element ``n % 9 + 1`` and
    理解 × on every item of element 9 when ``n`` is even."""
    practice_gap = {item.code for item in framework.items() if item.element == n % 9 + 1}
    understanding_gap = (
        {item.code for item in framework.items() if item.element == 9} if n % 2 == 0 else set()
    )

    def value(code: str, axis: Axis) -> int:
        gap = practice_gap if axis is Axis.PRACTICE else understanding_gap
        return 0 if code in gap else 1

    return value


def enrol(
    cohort: Cohort, count: int, submitted: Callable[..., Check], framework: Framework, *, post: int = 0
) -> list[User]:
    """``count`` participants who hand in a pre-check; the first ``post`` of them a post-check too
    (all ○ after the training), after the 事前 phase is closed (the 事後 phase begins then)."""
    users, seats = [], []
    for n in range(count):
        user = make_user(f"p{cohort.pk}-{n}", f"参加 {n}号", furigana=f"サンカ {chr(0x30A2 + 2 * n)}")
        participant, _ = services.join(cohort=cohort, user=user)
        before = submitted(user, answers_of(n, framework))
        services.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(before.public_id))
        users.append(user)
        seats.append(participant)
    if post:
        services.close_phase(cohort=cohort, phase=Phase.PRE)
    for user, participant in list(zip(users, seats, strict=True))[:post]:
        after = submitted(user)
        services.hand_in(participant=participant, phase=Phase.POST, check_public_id=str(after.public_id))
    return users


def close_both(cohort: Cohort) -> None:
    services.close_phase(cohort=cohort, phase=Phase.PRE)
    services.close_phase(cohort=cohort, phase=Phase.POST)


def pct(percent: int, count: int, total: int) -> str:
    """A share as the page writes it."""
    return f'{percent}%<span class="count">（{count}/{total}）</span>'


def results_html(world: World) -> str:
    response = world.client("organiser").get(reverse("cohorts:results", args=[world.cohort.public_id]))
    assert response.status_code == 200
    return response.content.decode()


# Creating and joining -------------------------------------------------------------------------------


def test_staff_create_a_cohort_for_their_organisation(world: World) -> None:
    client = world.client("organiser")
    form = {
        "organisation": str(world.org.public_id),
        "name": "令和8年度 伴走支援研修",
        "fiscal_year": str(world.cohort.fiscal_year),
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-11",
        "pre_deadline": "2026-12-09",
        "post_deadline": "2027-01-15",
    }
    response = client.post(reverse("cohorts:create"), form)
    cohort = Cohort.objects.get(name="令和8年度 伴走支援研修")
    assert response.status_code == 302 and response["Location"] == reverse(
        "cohorts:detail", args=[cohort.public_id]
    )
    assert (cohort.organisation, cohort.pre_deadline, cohort.created_by) == (
        world.org,
        datetime.date(2026, 12, 9),
        world.people["organiser"],
    )
    html = client.get(response["Location"]).content.decode()
    shown = re.search(r"<dt>参加コード</dt><dd><code>([^<]+)</code>", html)
    assert shown is not None and "/cohorts/join/" in html
    usable = find_usable(shown.group(1), Kind.COHORT)
    assert usable is not None and usable.target_id == cohort.pk
    again = client.get(response["Location"]).content.decode()  # the code is shown once
    assert shown.group(1) not in again and f"末尾 {usable.hint}" in again


def test_a_post_deadline_before_the_pre_deadline_is_refused(world: World) -> None:
    form = {
        "name": "研修",
        "fiscal_year": str(world.cohort.fiscal_year),
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-09",
        "pre_deadline": "2026-12-09",
        "post_deadline": "2026-12-09",
    }
    response = world.client("organiser").post(reverse("cohorts:create"), form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "最終日は初日以降の日付にしてください。" in html
    assert "事後チェックの締切日は、事前チェックの締切日より後にしてください。" in html
    assert Cohort.objects.count() == 2


def test_the_join_page_says_what_the_organiser_sees_then_joins(world: World) -> None:
    client = world.client("org_supporter")
    url = reverse("cohorts:join", args=[format_code(world.code).lower()])  # typed loosely
    html = client.get(url).content.decode()
    assert "東京都 福祉局の職員（主催者）に見えるのは次のことだけです" in html
    assert "あなたの回答そのものは、主催者にもほかの参加者にも見えません。" in html
    assert not Participant.objects.filter(user=world.people["org_supporter"]).exists()  # GET joins nobody
    response = client.post(url)
    assert response["Location"] == reverse("cohorts:detail", args=[world.cohort.public_id])
    assert Participant.objects.filter(cohort=world.cohort, user=world.people["org_supporter"]).count() == 1
    client.post(url)  # a second click
    assert Participant.objects.filter(cohort=world.cohort, user=world.people["org_supporter"]).count() == 1


def test_a_new_code_retires_the_old_link(world: World) -> None:
    old = world.code
    page = world.client("organiser").post(
        reverse("cohorts:new_code", args=[world.cohort.public_id]), follow=True
    )
    shown = re.search(r"<dt>参加コード</dt><dd><code>([^<]+)</code>", page.content.decode())
    assert shown is not None and normalise_code(shown.group(1)) != old
    assert world.client("org_supporter").get(reverse("cohorts:join", args=[old])).status_code == 404
    assert (
        world.client("org_supporter").get(reverse("cohorts:join", args=[shown.group(1)])).status_code == 200
    )


# Handing in ------------------------------------------------------------------------------------------


def test_a_participant_hands_in_a_check_and_may_choose_again_while_open(
    world: World, submitted: Callable[..., Check]
) -> None:
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)  # the 事後 phase has begun
    user = world.people["participant"]
    later = submitted(user)
    client = world.client("participant")
    url = reverse("cohorts:hand_in", args=[world.cohort.public_id, "post"])
    client.post(url, {"post-check_id": str(later.public_id)})
    assert Submission.objects.get(participant__user=user, phase="post").check_record == later
    newer = submitted(user)
    client.post(url, {"post-check_id": str(newer.public_id)})
    assert Submission.objects.get(participant__user=user, phase="post").check_record == newer
    assert Submission.objects.filter(participant__user=user).count() == 2


def test_the_post_check_must_be_another_later_check(world: World) -> None:
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)  # the 事後 phase has begun
    pre = Submission.objects.get(participant__user=world.people["participant"], phase="pre").check_record
    response = world.client("participant").post(
        reverse("cohorts:hand_in", args=[world.cohort.public_id, "post"]),
        {"post-check_id": str(pre.public_id)},
        follow=True,
    )
    assert "事前チェックより後に提出した別のチェックを選んでください" in response.content.decode()
    assert not Submission.objects.filter(phase="post").exists()


def test_someone_elses_check_cannot_be_handed_in(world: World, submitted: Callable[..., Check]) -> None:
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)  # the 事後 phase has begun
    theirs = submitted(world.people["other_participant"])
    for value in (str(theirs.public_id), "not-a-uuid", ""):
        world.client("participant").post(
            reverse("cohorts:hand_in", args=[world.cohort.public_id, "post"]), {"post-check_id": value}
        )
    assert not Submission.objects.filter(phase="post").exists()


def test_nothing_is_handed_in_after_the_deadline(world: World, submitted: Callable[..., Check]) -> None:
    Cohort.objects.filter(pk=world.cohort.pk).update(pre_deadline=TODAY - datetime.timedelta(days=1))
    later = submitted(world.people["participant"])
    response = world.client("participant").post(
        reverse("cohorts:hand_in", args=[world.cohort.public_id, "pre"]),
        {"pre-check_id": str(later.public_id)},
        follow=True,
    )
    assert "締切を過ぎたため提出できません。" in response.content.decode()
    assert Submission.objects.get(phase="pre").check_record != later


def test_a_closed_deadline_cannot_be_moved(world: World) -> None:
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    world.cohort.refresh_from_db()
    services.update_cohort(cohort=world.cohort, pre_deadline=TODAY + datetime.timedelta(days=60), name="改名")
    world.cohort.refresh_from_db()
    assert world.cohort.name == "改名"
    assert world.cohort.pre_deadline == TODAY + datetime.timedelta(days=6)


# Status ----------------------------------------------------------------------------------------------


def test_the_organiser_sees_who_handed_in_never_what(world: World, submitted: Callable[..., Check]) -> None:
    services.join(cohort=world.cohort, user=world.people["org_supporter"])
    html = (
        world.client("organiser")
        .get(reverse("cohorts:detail", args=[world.cohort.public_id]))
        .content.decode()
    )
    assert "参加者 2人：事前チェック 1人提出、事後チェック 0人提出" in html
    assert "研修 一子" in html and "支援 三郎" in html
    missing = html.split('id="missing-pre"')[1].split("</textarea>")[0]
    assert "支援 三郎" in missing and "研修 一子" not in missing
    assert "/checks/" not in html.split('id="organiser-heading"')[1]  # no link to anyone's check


def test_a_participant_sees_their_own_hand_ins_and_nobody_elses(world: World) -> None:
    services.join(cohort=world.cohort, user=world.people["org_supporter"])
    html = (
        world.client("participant")
        .get(reverse("cohorts:detail", args=[world.cohort.public_id]))
        .content.decode()
    )
    assert "提出済み" in html and "未提出" in html
    assert "支援 三郎" not in html
    assert "主催者の画面" not in html


# Totals and the five-person rule ----------------------------------------------------------------------


def test_no_totals_before_the_deadline(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    enrol(world.cohort, 6, submitted, framework)
    html = results_html(world)
    assert NOT_YET in html
    assert "研修の重点候補" not in html


def test_six_before_and_five_after(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """The issue's training: pre figures shown, post figures shown (five is not fewer than five), the
    change hidden: over the five who did both it would give away the sixth person's pre-check."""
    Participant.objects.filter(cohort=world.cohort).delete()
    enrol(world.cohort, 6, submitted, framework, post=5)
    close_both(world.cohort)
    html = results_html(world)
    assert "事前（6人）" in html and "事後（5人）" in html
    changes = html.split("変化（事前と事後の両方を提出した人）")[1].split("</li>")[0]
    assert DIFFERENCE in changes
    assert "ポイント増" not in html and "変化なし" not in html


def test_four_participants_show_nothing(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    Participant.objects.filter(cohort=world.cohort).delete()
    enrol(world.cohort, 4, submitted, framework, post=4)
    close_both(world.cohort)
    html = results_html(world)
    assert html.count(TOO_FEW) == 3  # 事前, 事後, 変化
    assert "研修の重点候補" not in html and 'class="count"' not in html


def test_the_figures_are_the_shares_of_people(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """Recomputed from the answers the participants gave, item by item and element by element."""
    Participant.objects.filter(cohort=world.cohort).delete()
    enrol(world.cohort, 7, submitted, framework, post=7)
    close_both(world.cohort)
    html = results_html(world)
    # Element 9: 理解 held by the odd participants (1, 3, 5: 3 of 7 = 43%); 実践 × only for a participant
    # with n % 9 + 1 == 9, and none of 0..6 is: everyone practises it (7/7).
    ninth = html.split("9. " + framework.element(9).name + "</th>")[1].split("</tr>")[0]
    assert ninth.index(pct(43, 3, 7)) < ninth.index(pct(100, 7, 7))
    # Element 1: 実践 × for participant 0 only: 6 of 7 = 86%.
    first = html.split("1. " + framework.element(1).name + "</th>")[1].split("</tr>")[0]
    assert pct(86, 6, 7) in first
    # After the training everyone is ○ everywhere: element 9's 理解 rose from 43 to 100.
    assert "↑ 57ポイント増" in ninth


def test_the_focus_items_are_the_least_practised(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    Participant.objects.filter(cohort=world.cohort).delete()
    enrol(world.cohort, 5, submitted, framework)
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    html = results_html(world)
    focus = html.split("研修の重点候補")[1].split("</ol>")[0]
    # Participants 0..4 each practise one of elements 1..5 not: those items are at 80 %, the rest at 100 %.
    assert focus.count("<li>") == 5
    assert focus.count("実践 " + pct(80, 4, 5)) == 5


@pytest.mark.parametrize("page", ["cohorts:results", "cohorts:projector"])
def test_the_totals_take_the_same_queries_for_six_or_thirty(
    page: str,
    world: World,
    submitted: Callable[..., Check],
    framework: Framework,
    django_capture_on_commit_callbacks: Any,
) -> None:
    counts = []
    for size in (6, 30):
        cohort = new_cohort(world.org, world.people["organiser"], name=f"研修{size}")
        enrol(cohort, size, submitted, framework, post=size - 1)
        close_both(cohort)
        client = world.client("organiser")
        # As on a running server, the history the page records is remembered once it commits.
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            assert client.get(reverse(page, args=[cohort.public_id])).status_code == 200
        counts.append(len(queries))
    # The disclosure's part: who sees it, the history's size, lock it, its new rows, the checks'
    # owners, record, count.
    assert counts[0] == counts[1] <= 18


def test_the_status_takes_the_same_queries_for_six_or_thirty(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    counts = []
    for size in (6, 30):
        cohort = new_cohort(world.org, world.people["organiser"], name=f"研修{size}")
        enrol(cohort, size, submitted, framework)
        with CaptureQueriesContext(connection) as queries:
            world.client("organiser").get(reverse("cohorts:detail", args=[cohort.public_id]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_projector_shows_no_names(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    users = enrol(world.cohort, 6, submitted, framework)
    close_both(world.cohort)
    html = (
        world.client("organiser")
        .get(reverse("cohorts:projector", args=[world.cohort.public_id]))
        .content.decode()
    )
    assert "研修の重点候補" in html and "<svg" in html
    for user in [*users, world.people["participant"]]:
        assert user.display_name not in html


# The organisation's overview -------------------------------------------------------------------------


def share_with(world: World, count: int, submitted: Callable[..., Check], framework: Framework) -> None:
    for n in range(count):
        user = make_user(f"s{n}", f"共有 {n}号")
        Membership.objects.create(organisation=world.org, user=user, role=Membership.Role.SUPPORTER)
        submitted(user, answers_of(n, framework))
        sharing_services.share(user=user, audience=Audience.organisation(world.org.pk), choice=LATEST)


def test_the_overview_needs_five_people(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    share_with(world, 4, submitted, framework)
    url = reverse("cohorts:org_overview", args=[world.org.public_id])
    html = world.client("organiser").get(url).content.decode()
    assert TOO_FEW in html and "エレメントごとの理解と実践" not in html
    share_with_fifth = make_user("s-fifth", "共有 五号")
    Membership.objects.create(organisation=world.org, user=share_with_fifth, role=Membership.Role.SUPPORTER)
    check = submitted(share_with_fifth)
    sharing_services.share(
        user=share_with_fifth,
        audience=Audience.organisation(world.org.pk),
        choice=ShareChoice.parse(str(check.public_id)),
    )
    html = world.client("organiser").get(url).content.decode()
    assert TOO_FEW not in html and "共有されたチェック（5人）" in html


def test_the_overview_is_not_redrawn_for_one_more_person(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """Totals over five, then over six: the difference would be the sixth person's check."""
    share_with(world, 5, submitted, framework)
    url = reverse("cohorts:org_overview", args=[world.org.public_id])
    assert "共有されたチェック（5人）" in world.client("organiser").get(url).content.decode()
    sixth = make_user("s-sixth", "共有 六号")
    Membership.objects.create(organisation=world.org, user=sixth, role=Membership.Role.SUPPORTER)
    submitted(sixth)
    sharing_services.share(user=sixth, audience=Audience.organisation(world.org.pk), choice=LATEST)
    html = world.client("organiser").get(url).content.decode()
    assert DIFFERENCE in html and "共有されたチェック（6人）" not in html
    for n in range(4):  # five more than the group shown: shown again
        extra = make_user(f"s-more{n}", f"追加 {n}号")
        Membership.objects.create(organisation=world.org, user=extra, role=Membership.Role.SUPPORTER)
        submitted(extra)
        sharing_services.share(user=extra, audience=Audience.organisation(world.org.pk), choice=LATEST)
    assert "共有されたチェック（10人）" in world.client("organiser").get(url).content.decode()


def test_the_overview_counts_one_check_per_person_of_the_year(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    share_with(world, 5, submitted, framework)
    for user in User.objects.filter(username__startswith="s"):
        submitted(user)  # a second check this year: 常に最新 counts only the latest
    last_year = world.cohort.fiscal_year - 1
    old_user = make_user("old", "昨年度 共有")
    Membership.objects.create(organisation=world.org, user=old_user, role=Membership.Role.SUPPORTER)
    old = submitted(old_user)
    Check.objects.filter(pk=old.pk).update(fiscal_year=last_year)
    sharing_services.share(
        user=old_user,
        audience=Audience.organisation(world.org.pk),
        choice=ShareChoice.parse(str(old.public_id)),
    )
    html = (
        world.client("organiser")
        .get(reverse("cohorts:org_overview", args=[world.org.public_id]))
        .content.decode()
    )
    assert "共有されたチェック（5人）" in html
    element_1 = html.split("1. " + framework.element(1).name + "</th>")[1].split("</tr>")[0]
    assert pct(100, 5, 5) in element_1  # the latest checks are ○ everywhere
    html = (
        world.client("organiser")
        .get(reverse("cohorts:org_overview", args=[world.org.public_id]), {"fiscal_year": last_year})
        .content.decode()
    )
    assert "共有されたチェック：1人 — <strong>" + TOO_FEW in html


def test_totals_once_shown_are_not_redrawn_around_someone_who_left(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """Six counted, one leaves: totals over the five would give the sixth away beside the first ones
    (the status list says who left). They are withheld; the person is gone from the status list."""
    users = enrol(world.cohort, 5, submitted, framework)
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    assert "事前（6人）" in results_html(world)
    client = Client()
    client.force_login(users[0])
    client.post(reverse("cohorts:leave", args=[world.cohort.public_id]))
    html = results_html(world)
    assert "事前（5人）" not in html and "研修の重点候補" not in html
    assert "事前：5人 — <strong>" + DIFFERENCE in html
    status = world.client("organiser").get(reverse("cohorts:detail", args=[world.cohort.public_id]))
    assert users[0].display_name not in status.content.decode()


def test_the_same_checks_in_two_cohorts_are_not_set_against_each_other(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """Five of six hand the same pre-checks to a second 研修 of the organisation."""
    Participant.objects.filter(cohort=world.cohort).delete()
    users = enrol(world.cohort, 6, submitted, framework)
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    assert "事前（6人）" in results_html(world)
    second = new_cohort(world.org, world.people["organiser"], name="第2回")
    for user in users[:5]:
        participant, _ = services.join(cohort=second, user=user)
        check = Check.objects.filter(owner=user).get()
        services.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(check.public_id))
    services.close_phase(cohort=second, phase=Phase.PRE)
    html = world.client("organiser").get(reverse("cohorts:results", args=[second.public_id])).content.decode()
    assert DIFFERENCE in html and "事前（5人）" not in html


def test_an_organiser_who_takes_part_does_not_count_for_five(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    """Five hand in, the organiser among them: the other four would be laid bare."""
    Participant.objects.filter(cohort=world.cohort).delete()
    enrol(world.cohort, 4, submitted, framework)
    organiser = world.people["organiser"]
    participant, _ = services.join(cohort=world.cohort, user=organiser)
    check = submitted(organiser)
    services.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(check.public_id))
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    assert "事前：5人 — <strong>" + TOO_FEW in results_html(world)


def test_a_check_of_another_framework_version_is_refused(
    world: World, submitted: Callable[..., Check]
) -> None:
    from bansou.frameworks.models import FrameworkVersion

    other = FrameworkVersion.objects.create(
        slug="leaflet", version="2099-test", digest="x" * 64, source_text="", title="別の版"
    )
    Cohort.objects.filter(pk=world.cohort.pk).update(framework=other)
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)  # the 事後 phase has begun
    later = submitted(world.people["participant"])
    response = world.client("participant").post(
        reverse("cohorts:hand_in", args=[world.cohort.public_id, "post"]),
        {"post-check_id": str(later.public_id)},
        follow=True,
    )
    assert "この研修は「2099-test」版のチェックで提出します。" in response.content.decode()
    assert not Submission.objects.filter(phase="post").exists()


def test_a_cohort_code_typed_where_invitations_go_leads_to_the_cohort(world: World) -> None:
    response = world.client("org_supporter").post(
        reverse("teams:join_by_code"), {"code": format_code(world.code)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("cohorts:join", args=[world.code])
    assert "研修に参加する" in response.content.decode()


def test_the_leaflets_caution_stands_beside_the_totals(world: World, framework: Framework) -> None:
    """主役は市町村: on the 研修's totals (and so its PDF) and on the organisation's overview."""
    assert framework.texts.caution in results_html(world)
    overview = world.client("organiser").get(reverse("cohorts:org_overview", args=[world.org.public_id]))
    assert overview.status_code == 200 and framework.texts.caution in overview.content.decode()
