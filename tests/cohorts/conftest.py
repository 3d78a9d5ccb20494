"""A 研修 world: an organisation whose staff organise a cohort, participants with checks, and outsiders."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Participant, Phase
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.frameworks.queries import current_version
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from tests.conftest import make_user

TODAY = timezone.localdate()
THIS_YEAR = fiscal_year_of(TODAY)


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    cohort: Cohort
    other_cohort: Cohort
    people: dict[str, User]
    participants: dict[str, Participant]
    code: str  # the join code of ``cohort`` (shown once when it was made)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


def new_cohort(org: Organisation, by: User, name: str = "地域づくり伴走支援研修") -> Cohort:
    return new_cohort_and_code(org, by, name)[0]  # its code is not needed


def new_cohort_and_code(
    org: Organisation, by: User, name: str = "地域づくり伴走支援研修"
) -> tuple[Cohort, str]:
    cohort, issued = services.create_cohort(
        user=by,
        organisation=org,
        framework=current_version(),
        name=name,
        fiscal_year=THIS_YEAR,
        starts_on=TODAY + datetime.timedelta(days=7),
        ends_on=TODAY + datetime.timedelta(days=8),
        pre_deadline=TODAY + datetime.timedelta(days=6),
        post_deadline=TODAY + datetime.timedelta(days=30),
    )
    return cohort, issued.code


@pytest.fixture
def world(framework: object, submitted: Callable[..., Check]) -> World:
    return build_world(submitted)


def build_world(submitted: Callable[..., Check]) -> World:
    """The world of ``world`` (the framework must be loaded), for tests outside tests/cohorts."""
    people = {
        "organiser": make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ"),
        "participant": make_user("participant", "研修 一子", furigana="ケンシュウ イチコ"),
        "other_participant": make_user("otherp", "別研修 二郎", furigana="ベツケンシュウ ジロウ"),
        "org_supporter": make_user("supporter", "支援 三郎", furigana="シエン サブロウ"),
        "other_staff": make_user("ostaff", "他県 四郎", furigana="タケン シロウ"),
    }
    org = create_organisation(
        user=people["organiser"], name="東京都 福祉局", kind="prefecture", prefecture_id=None
    )
    other_org = create_organisation(
        user=people["other_staff"], name="大阪府 福祉部", kind="prefecture", prefecture_id=None
    )
    Membership.objects.create(organisation=org, user=people["org_supporter"], role=Membership.Role.SUPPORTER)
    cohort, code = new_cohort_and_code(org, people["organiser"])
    other_cohort = new_cohort(other_org, people["other_staff"], name="大阪府 研修")
    participants = {
        "participant": services.join(cohort=cohort, user=people["participant"])[0],
        "other_participant": services.join(cohort=other_cohort, user=people["other_participant"])[0],
    }
    check = submitted(people["participant"])
    services.hand_in(
        participant=participants["participant"], phase=Phase.PRE, check_public_id=str(check.public_id)
    )
    return World(org, other_org, cohort, other_cohort, people, participants, code)
