"""Issue 12's attacks on the five-person rule, end to end through HTTP.

An organiser who wants one participant's answers: participants join by the 研修's code and hand the
same check in to several 研修 (pages and forms, as people would), the organiser closes each phase
and downloads each 研修's ``results.csv``. The test then solves the downloaded totals itself, with
exact rational ranks (no look at which label was withheld): the victim's answers must not follow
from what was downloaded. Each scenario also shows the attack is real: over the totals the test
computes itself for every group, the same combination gives the victim's answers exactly.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Callable, Sequence

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts.models import Cohort, Phase
from bansou.domain.framework import Axis, Framework
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from tests.cohorts.conftest import new_cohort_and_code
from tests.conftest import make_user
from tests.rational import exact_rank

pytestmark = pytest.mark.django_db

Totals = dict[tuple[str, str], int]  # (item code, axis) -> how many answered ○


def answers(n: int) -> Callable[[str, Axis], int]:
    """Person ``n``'s answers: a fixed pattern that differs from person to person."""
    return lambda code, axis: zlib.crc32(f"{n}/{code}/{axis.value}".encode()) % 2


def person(n: int) -> User:
    return make_user(f"person{n}", f"参加 {n}号", furigana="サンカ")


def join_and_hand_in(user: User, check: Check, cohort: Cohort, code: str) -> None:
    client = Client()
    client.force_login(user)
    assert client.post(reverse("cohorts:join", args=[code])).status_code == 302
    response = client.post(
        reverse("cohorts:hand_in", args=[cohort.public_id, Phase.PRE]), {"pre-check_id": str(check.public_id)}
    )
    assert response.status_code == 302
    assert cohort.participants.get(user=user).submissions.get().check_record_id == check.pk


def close_and_download(organiser: Client, cohort: Cohort) -> Totals | None:
    """The organiser closes the 事前 phase and downloads the totals; None when no totals came."""
    assert organiser.post(reverse("cohorts:close", args=[cohort.public_id, Phase.PRE])).status_code == 302
    body = organiser.get(reverse("cohorts:results_csv", args=[cohort.public_id])).content.decode("utf-8-sig")
    _header, *rows = csv.reader(io.StringIO(body))
    found: Totals = {}
    for row in rows:
        if row[0] == "pre" and row[2] == "item":
            found[(row[3], Axis.UNDERSTANDING.value)] = int(row[4])
            found[(row[3], Axis.PRACTICE.value)] = int(row[5])
    return found or None


def determined(groups: Sequence[frozenset[int]], victim: int) -> bool:
    """Whether the totals over ``groups`` determine person ``victim``'s answers: their unit vector
    lies in the row space (rank drops when their column goes)."""
    people = {p for g in groups for p in g}
    if not groups or victim not in people:
        return False
    return exact_rank(groups, people) > exact_rank(groups, people - {victim})


def own_totals(group: frozenset[int], framework: Framework) -> Totals:
    return {
        (code, axis.value): sum(answers(n)(code, axis) for n in group)
        for code in framework.item_codes()
        for axis in Axis
    }


@pytest.fixture
def organiser(db: None) -> User:
    return make_user("organiser", "県庁 主催")


def run_attack(
    organiser: User,
    orgs: Sequence[Organisation],
    groups: Sequence[frozenset[int]],
    submitted: Callable[..., Check],
) -> tuple[list[Totals | None], list[Cohort]]:
    """One 研修 per group (in the organisation given for it); everyone hands in their one check."""
    checks = {n: submitted(person(n), answers(n)) for n in sorted(set().union(*groups))}
    made = [new_cohort_and_code(org, organiser, name=f"研修{i + 1}") for i, org in enumerate(orgs)]
    for (cohort, code), group in zip(made, groups, strict=True):
        for n in sorted(group):
            join_and_hand_in(checks[n].owner, checks[n], cohort, code)  # type: ignore[arg-type]
    client = Client()
    client.force_login(organiser)
    return [close_and_download(client, cohort) for cohort, _code in made], [c for c, _ in made]


VICTIM = 0
P, Q, R, W = (frozenset(range(start, start + 5)) for start in (1, 6, 11, 16))
FOUR = [P | Q | {VICTIM}, P | R, Q | W, R | W]  # v = K1 - K2 - K3 + K4


def assert_real_attack(groups: Sequence[frozenset[int]], framework: Framework) -> None:
    """Over every group's true totals, K1 - K2 - K3 + K4 is the victim's answers."""
    k1, k2, k3, k4 = (own_totals(g, framework) for g in groups)
    derived = {key: k1[key] - k2[key] - k3[key] + k4[key] for key in k1}
    assert derived == own_totals(frozenset({VICTIM}), framework)
    assert determined(groups, VICTIM)


def test_four_overlapping_training_courses_in_one_organisation(
    organiser: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    downloaded, cohorts = run_attack(organiser, [org] * 4, FOUR, submitted)
    assert_real_attack(FOUR, framework)
    shown = [g for g, totals in zip(FOUR, downloaded, strict=True) if totals is not None]
    assert len(shown) == 3 and not determined(shown, VICTIM)
    for group, totals in zip(FOUR, downloaded, strict=True):
        assert totals is None or totals == own_totals(group, framework)  # what came is true
    withheld = cohorts[[t is None for t in downloaded].index(True)]
    page = Client()
    page.force_login(organiser)
    html = page.get(reverse("cohorts:results", args=[withheld.public_id])).content.decode()
    assert "組み合わせると、一人の回答が計算で分かってしまうため" in html


def test_a_new_organisation_does_not_start_a_new_history(
    organiser: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    """研修X in one organisation (v and five others), 研修Y in an organisation the organiser has just
    registered (the same five): X - Y would be v. And the four-研修 combination, split between the
    two organisations."""
    first = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    second = create_organisation(user=organiser, name="新しい組織", kind="prefecture", prefecture_id=None)
    pair = [P | {VICTIM}, P]
    downloaded, cohorts = run_attack(organiser, [first, second], pair, submitted)
    assert determined(pair, VICTIM)
    assert downloaded[0] is not None and downloaded[1] is None
    page = Client()
    page.force_login(organiser)
    html = page.get(reverse("cohorts:results", args=[cohorts[1].public_id])).content.decode()
    assert "これまでに示した別の集計（ほかの組織のものも含みます）との差から" in html


def test_the_four_courses_split_between_two_organisations(
    organiser: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    first = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    second = create_organisation(user=organiser, name="新しい組織", kind="prefecture", prefecture_id=None)
    downloaded, _cohorts = run_attack(organiser, [first, first, second, second], FOUR, submitted)
    assert_real_attack(FOUR, framework)
    shown = [g for g, totals in zip(FOUR, downloaded, strict=True) if totals is not None]
    assert shown and not determined(shown, VICTIM)


def test_a_colleagues_own_check_is_something_they_know(
    organiser: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    """A member of staff hands their own check in to one of the four 研修 beside the victim's. The
    combination K1 - K2 - K3 + K4 is then the victim's answers plus the colleague's own, which the
    colleague can subtract: whoever of the staff opens the pages, the fourth is withheld."""
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    colleague = make_user("colleague", "県庁 同僚")
    Membership.objects.create(organisation=org, user=colleague, role=Membership.Role.STAFF)
    own = submitted(colleague, answers(99))
    groups = [*FOUR]
    cohorts = [new_cohort_and_code(org, organiser, name=f"研修{i + 1}") for i in range(4)]
    checks = {n: submitted(person(n), answers(n)) for n in sorted(set().union(*groups))}
    for (cohort, code), group in zip(cohorts, groups, strict=True):
        for n in sorted(group):
            join_and_hand_in(checks[n].owner, checks[n], cohort, code)  # type: ignore[arg-type]
    join_and_hand_in(colleague, own, cohorts[0][0], cohorts[0][1])
    client = Client()
    client.force_login(organiser)  # not the colleague: someone who knows none of the checks
    downloaded = [close_and_download(client, cohort) for cohort, _code in cohorts]
    assert [totals is not None for totals in downloaded] == [True, True, True, False]
