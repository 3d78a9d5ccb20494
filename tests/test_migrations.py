"""A database filled on today's main migrates forward with every row intact (issue 11).

The database is taken back to the migrations main ended with (commit 84aa195, before the sharing
app), filled through the historical models of that state with a row in every table main had, and
migrated forward to the latest migrations, whatever they are. Then:

- every row of every table main had is still there with the same values, read through the current
  models (a model that changed app is looked up where it lives now: ``MOVED``);
- the shares, teams, 研修, checks and plans mean what they meant, read through the current models
  and queries (``sharing.CheckShare`` finds the team share with a fixed check, the 常に最新 share,
  the organisation share);
- the content types of the moved models, and the permissions that hang on them, now belong to
  ``sharing`` under the same ids.

Then back to main's state and forward once more: the migrations are reversible and lose nothing.
Whatever happens, the test leaves the database at the latest migrations for the tests after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts.models import Cohort
from bansou.disclosure.models import LedgerState, ShownGroup
from bansou.invitations.models import Invitation, Redemption
from bansou.invitations.services import find
from bansou.plans.models import Plan
from bansou.sharing.models import CheckShare, PlanShare
from bansou.sharing.queries import team_shares
from bansou.teams.models import Team

pytestmark = pytest.mark.django_db(transaction=True)

# The last migration of each app on main (84aa195). An app of ours that is not named here did not
# exist then (sharing, and any app added later): at main's state none of its migrations is applied.
MAIN = {
    "accounts": "0001_initial",
    "checks": "0004_entered_by",
    "cohorts": "0001_initial",
    "frameworks": "0001_initial",
    "orgs": "0001_initial",
    "places": "0001_initial",
    "plans": "0001_initial",
    "teams": "0001_initial",
}

# Models that changed app since main, with their table: main's label to today's.
MOVED = {
    "teams.CheckShare": "sharing.CheckShare",
    "plans.PlanShare": "sharing.PlanShare",
}

# Tables whose rows became rows of another model (``assert_invitations_kept`` says what each became),
# and columns that went the same way.
CONVERTED = frozenset(
    {"teams.TeamInvitation", "orgs.OrgInvitation", "accounts.Invitation", "cohorts.ShownGroup"}
)
GONE_COLUMNS = {"cohorts.Cohort": frozenset({"join_code"})}
# Back at main: converted rows return with new ids and codes; 研修 with new join codes.
AT_MAIN_AGAIN_WITHOUT = {
    "teams.TeamInvitation": frozenset({"id", "code"}),
    "orgs.OrgInvitation": frozenset({"id", "code"}),
    "accounts.Invitation": frozenset({"id", "code"}),
    "cohorts.Cohort": frozenset({"join_code"}),
    "cohorts.ShownGroup": frozenset({"id", "digest"}),  # the digest of its ids, as recorded now
}
AT = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
EXPIRES = datetime(2025, 6, 16, 9, 30, tzinfo=UTC)

Snapshot = dict[str, list[dict[str, Any]]]


# --- moving between main's state and the latest -------------------------------------------------


def ours(app_label: str) -> bool:
    return current_apps.get_app_config(app_label).name.startswith("bansou.")


def main_targets(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    """Every app of ours at its migration on main; the apps main did not have, unmigrated."""
    newer = {app for app, _ in executor.loader.graph.leaf_nodes() if ours(app) and app not in MAIN}
    return [*MAIN.items(), *((app, None) for app in sorted(newer))]


def migrate_to_main() -> Apps:
    """Takes the database back to main's migrations; returns the historical models of that state."""
    executor = MigrationExecutor(connection)
    targets = main_targets(executor)
    executor.migrate(targets)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if not ours(node[0])]
    state = executor.loader.project_state([*((app, name) for app, name in targets if name), *others])
    return state.apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()  # the ids it remembers may name another app now


@pytest.fixture
def at_main(transactional_db: None) -> Iterator[Apps]:
    """The database at main's migrations; at the latest again after the test, pass or fail (before
    pytest-django empties the tables for the next test)."""
    try:
        yield migrate_to_main()
    finally:
        migrate_to_latest()


# --- a database as main left it ------------------------------------------------------------------


def populate(old: Apps) -> dict[str, int]:
    """A row in every table main had, made through main's models. Returns the ids the checks need."""
    model = old.get_model
    ids: dict[str, int] = {}

    # Places and the framework.
    tokyo = model("places", "Prefecture").objects.create(
        code="13", lgcode="130001", name="東京都", kana="とうきょうと"
    )
    model("places", "MunicipalityList").objects.create(
        source="総務省 全国地方公共団体コード", as_of=date(2025, 4, 1), count=1
    )
    chiyoda = model("places", "Municipality").objects.create(
        lgcode="131016", name="千代田区", kana="ちよだく", kind="special_ward", prefecture=tokyo
    )
    version = model("frameworks", "FrameworkVersion").objects.create(
        slug="leaflet",
        version="2025",
        title="伴走支援エレメント",
        source_text="（本文）",
        digest="a" * 64,
        active=True,
    )
    items = [
        model("frameworks", "Item").objects.create(
            framework=version, code=f"C-{n}", sheet="C", position=n, element=n, tier="C", power=n
        )
        for n in (1, 2)
    ]

    # People, and the sign-up code one of them used.
    User_ = model("accounts", "User")

    def person(username: str, name: str) -> Any:
        return User_.objects.create(username=username, password="!", display_name=name, furigana="")

    hanako, taro, jiro, saburo = (
        person("hanako", "伴走 花子"),
        person("taro", "支援 太郎"),
        person("jiro", "県庁 次郎"),
        person("saburo", "研修 三郎"),
    )
    hanako.roles = ["保健師"]
    hanako.save()
    ids.update(hanako=hanako.pk, taro=taro.pk, jiro=jiro.pk, saburo=saburo.pk)
    model("accounts", "Invitation").objects.create(
        code="SIGNUP-CODE-0001", note="次郎さんへ", created_by=hanako, used_by=jiro, used_at=AT
    )

    # An organisation: an administrator, a supporter in its pool, and an invitation.
    org = model("orgs", "Organisation").objects.create(
        name="東京都 福祉局", kind="prefecture", prefecture=tokyo
    )
    Membership = model("orgs", "Membership")
    Membership.objects.create(organisation=org, user=jiro, role="admin")
    Membership.objects.create(organisation=org, user=hanako, role="supporter", in_pool=True)
    model("orgs", "OrgInvitation").objects.create(
        organisation=org, code="ORGCODE1", role="staff", created_by=jiro, expires_at=EXPIRES
    )
    ids["org"] = org.pk

    # Checks: two of 花子's (the second is her latest), 太郎's, a visitor's, 三郎's two for the 研修
    # (the first entered on paper by 次郎); each with its answers and standings.
    def check(n: int, when: datetime, owner: Any = None, **extra: Any) -> Any:
        made = model("checks", "Check").objects.create(
            owner=owner,
            framework=version,
            submitted_at=when,
            fiscal_year=2025,
            draft_public_id=f"00000000-0000-4000-8000-{n:012d}",
            **extra,
        )
        for item in items:
            model("checks", "CheckAnswer").objects.create(
                check_record=made, item=item, understanding=1, practice=n % 2
            )
            model("checks", "CheckStanding").objects.create(
                check_record=made,
                element=item.element,
                understood_count=1,
                practised_count=n % 2,
                total=1,
                understood=True,
                practised=bool(n % 2),
            )
        return made

    first = check(1, datetime(2025, 5, 1, tzinfo=UTC), hanako)
    latest = check(2, datetime(2025, 9, 1, tzinfo=UTC), hanako)
    taros = check(3, datetime(2025, 5, 2, tzinfo=UTC), taro)
    check(4, datetime(2025, 5, 3, tzinfo=UTC), anon_key="visitor-key")
    paper = check(5, datetime(2025, 6, 1, tzinfo=UTC), saburo, entered_by=jiro, entered_by_name="県庁 次郎")
    after = check(6, datetime(2025, 7, 1, tzinfo=UTC), saburo)
    ids.update(first=first.pk, latest=latest.pk, taros=taros.pk, paper=paper.pk, after=after.pk)
    draft = model("checks", "Draft").objects.create(owner=taro, framework=version)
    model("checks", "DraftCell").objects.create(
        draft=draft, item_code="C-1", axis="practice", value=1, revision=2, updated_at=AT
    )

    # A team run by the organisation: 花子 leads, 太郎 joined by an invitation.
    team = model("teams", "Team").objects.create(
        municipality=chiyoda, fiscal_year=2025, name="千代田 伴走チーム", organisation=org, needed=2
    )
    Member = model("teams", "TeamMember")
    lead = Member.objects.create(team=team, user=hanako, roles=["保健師"], is_lead=True, affiliation=org)
    Member.objects.create(team=team, user=taro, roles=["事務職"])
    model("teams", "Assignment").objects.create(team=team, element=1, member=lead)
    model("teams", "TeamInvitation").objects.create(
        team=team, code="TEAMCODE", created_by=hanako, expires_at=EXPIRES, revoked=True
    )
    model("teams", "AccessLog").objects.create(
        subject=taro,
        viewer=hanako,
        viewer_name="伴走 花子",
        team=team,
        team_label="千代田区 2025",
        check_record=taros,
        what="member_answers",
        at=AT,
    )
    ids["team"] = team.pk

    # Shares: 花子 lets the team see her first check, 太郎 always his latest, the pool sees 花子's latest.
    Share = model("teams", "CheckShare")
    ids["fixed"] = Share.objects.create(owner=hanako, team=team, check_record=first).pk
    ids["always"] = Share.objects.create(owner=taro, team=team, check_record=None).pk
    ids["pool"] = Share.objects.create(owner=hanako, organisation=org, check_record=latest).pk

    # 花子's plan on her latest check, shared with the team.
    plan = model("plans", "Plan").objects.create(
        owner=hanako, check_record=latest, reflection="面談の前に読み返す", revision=3
    )
    Step = model("plans", "Step")
    Step.objects.create(
        plan=plan, item_code="C-1", position=1, action="会議に同席する", due_on=date(2025, 10, 1)
    )
    Step.objects.create(plan=plan, item_code="C-2", position=2, action="記録を見直す", status="doing")
    ids["plan"] = plan.pk
    ids["plan_share"] = model("plans", "PlanShare").objects.create(plan=plan, team=team).pk

    # A 研修 of the organisation: 三郎 handed in before and after, 花子 only before.
    cohort = model("cohorts", "Cohort").objects.create(
        organisation=org,
        name="令和7年度 伴走支援者研修",
        framework=version,
        fiscal_year=2025,
        starts_on=date(2025, 6, 10),
        ends_on=date(2025, 6, 11),
        pre_deadline=date(2025, 6, 9),
        post_deadline=date(2025, 7, 11),
        pre_closed_at=AT,
        join_code="COHORT01",
        created_by=jiro,
    )
    Participant, Submission = model("cohorts", "Participant"), model("cohorts", "Submission")
    seat = Participant.objects.create(cohort=cohort, user=saburo)
    Submission.objects.create(participant=seat, phase="pre", check_record=paper)
    Submission.objects.create(participant=seat, phase="post", check_record=after)
    Submission.objects.create(
        participant=Participant.objects.create(cohort=cohort, user=hanako), phase="pre", check_record=first
    )
    shown = model("cohorts", "ShownGroup").objects.create(
        organisation=org, digest="b" * 64, checks=[str(pk) for pk in sorted([paper.pk, after.pk, first.pk])]
    )
    model("cohorts", "ShownGroup").objects.filter(pk=shown.pk).update(shown_at=AT)
    ids["cohort"] = cohort.pk

    # Content types as main had them (no sharing app), and a permission that hangs on one.
    ContentType_ = model("contenttypes", "ContentType")
    ContentType_.objects.filter(app_label="sharing").delete()
    share_type, _ = ContentType_.objects.get_or_create(app_label="teams", model="checkshare")
    plan_share_type, _ = ContentType_.objects.get_or_create(app_label="plans", model="planshare")
    permission, _ = model("auth", "Permission").objects.get_or_create(
        content_type=share_type, codename="view_checkshare", defaults={"name": "Can view check share"}
    )
    jiro.user_permissions.add(permission)
    ids.update(share_type=share_type.pk, plan_share_type=plan_share_type.pk)
    return ids


def snapshot(old: Apps) -> Snapshot:
    """Every row of every table main had, through main's models."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in MAIN
        for model in old.get_app_config(app).get_models()
    }


# --- what must hold after the migrations ----------------------------------------------------------


def without(rows: list[dict[str, Any]], columns: frozenset[str]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in columns} for row in rows]


def assert_rows_kept(before: Snapshot) -> None:
    """The same rows with the same values, through today's models (new columns are not compared)."""
    for label, rows in before.items():
        assert rows, f"{label}: the test made no row of it; add one to populate()"
        if label in CONVERTED:
            continue  # checked by assert_invitations_kept
        try:
            model = current_apps.get_model(MOVED.get(label, label))
        except LookupError:
            pytest.fail(f"{label} is gone: say where its rows went (MOVED, CONVERTED, or a check of its own)")
        kept = without(rows, GONE_COLUMNS.get(label, frozenset()))
        assert list(model.objects.order_by("pk").values(*kept[0])) == kept, label


def assert_meaning_kept(ids: dict[str, int], *, round_trip: bool = False) -> None:
    """Shares, teams, 研修, checks and plans, as today's code reads them."""
    # Shares: found in sharing, with their owners, audiences and checks.
    fixed, always, pool = (CheckShare.objects.get(pk=ids[name]) for name in ("fixed", "always", "pool"))
    assert (fixed.owner_id, fixed.team_id, fixed.organisation_id, fixed.check_record_id) == (
        ids["hanako"],
        ids["team"],
        None,
        ids["first"],
    )
    assert (always.owner_id, always.team_id, always.check_record_id) == (ids["taro"], ids["team"], None)
    assert (pool.owner_id, pool.team_id, pool.organisation_id, pool.check_record_id) == (
        ids["hanako"],
        None,
        ids["org"],
        ids["latest"],
    )
    # 常に最新 still resolves to the owner's latest check; a fixed share to its check.
    assert team_shares(ids["team"]) == {
        ids["hanako"]: (ids["first"], False),
        ids["taro"]: (ids["taros"], True),
    }
    plan_share = PlanShare.objects.get(pk=ids["plan_share"])
    assert (plan_share.plan_id, plan_share.team_id) == (ids["plan"], ids["team"])

    # The team, its members and invitation.
    team = Team.objects.get(pk=ids["team"])
    assert (team.name, team.organisation_id, team.municipality_id) == (
        "千代田 伴走チーム",
        ids["org"],
        "131016",
    )
    members = {m.user_id: (m.is_lead, m.roles) for m in team.members.all()}
    assert members == {ids["hanako"]: (True, ["保健師"]), ids["taro"]: (False, ["事務職"])}
    assert {s.owner_id for s in team.shares.all()} == {ids["hanako"], ids["taro"]}
    assert [s.plan_id for s in team.plan_shares.all()] == [ids["plan"]]
    assert_invitations_kept(ids, round_trip=round_trip)
    assert_history_kept(ids)

    # The 研修: participants and what they handed in, the paper check with who entered it.
    cohort = Cohort.objects.get(pk=ids["cohort"])
    handed_in = {
        (seat.user_id, submission.phase, submission.check_record_id)
        for seat in cohort.participants.all()
        for submission in seat.submissions.all()
    }
    assert handed_in == {
        (ids["saburo"], "pre", ids["paper"]),
        (ids["saburo"], "post", ids["after"]),
        (ids["hanako"], "pre", ids["first"]),
    }
    paper = Check.objects.get(pk=ids["paper"])
    assert (paper.owner_id, paper.entered_by_id, paper.entered_by_name) == (
        ids["saburo"],
        ids["jiro"],
        "県庁 次郎",
    )

    # Checks with their answers and standings; the plan with its steps.
    assert Check.objects.count() == 6
    for check in Check.objects.prefetch_related("answers", "standings"):
        assert len(check.answers.all()) == 2 and len(check.standings.all()) == 2
    plan = Plan.objects.get(pk=ids["plan"])
    assert (plan.owner_id, plan.check_record_id, plan.reflection) == (
        ids["hanako"],
        ids["latest"],
        "面談の前に読み返す",
    )
    assert [(s.item_code, s.status) for s in plan.steps.all()] == [("C-1", "not_started"), ("C-2", "doing")]

    # Content types moved with their models, under the same ids; permissions follow them.
    assert ContentType.objects.get_for_model(CheckShare).pk == ids["share_type"]
    assert ContentType.objects.get_for_model(PlanShare).pk == ids["plan_share_type"]
    assert not ContentType.objects.filter(app_label="teams", model="checkshare").exists()
    assert not ContentType.objects.filter(app_label="plans", model="planshare").exists()
    assert User.objects.get(pk=ids["jiro"]).has_perm("sharing.view_checkshare")


def assert_invitations_kept(ids: dict[str, int], *, round_trip: bool) -> None:
    """Team, organisation and sign-up invitations and 研修 codes became one invitation model: each
    old code (as typed, in any case) finds its invitation, of the right kind and target."""
    kinds = Invitation.objects.order_by("kind").values_list("kind", "target_id")
    assert list(kinds) == [
        ("cohort", ids["cohort"]),
        ("organisation", ids["org"]),
        ("signup", None),
        ("team", ids["team"]),
    ]
    if round_trip:  # gone back to main and forward again: the codes were new ones, nobody knows them
        assert not any(find(code) for code in ("TEAMCODE", "ORGCODE1", "COHORT01", "SIGNUP-CODE-0001"))
        return

    team = find("teamcode")
    assert team is not None and (team.kind, team.target_id, team.created_by_id, team.expires_at) == (
        "team",
        ids["team"],
        ids["hanako"],
        EXPIRES,
    )
    assert team.revoked_at is not None and not team.usable()
    org = find("ORGCODE1")
    assert org is not None and (org.kind, org.target_id, org.role, org.expires_at, org.revoked_at) == (
        "organisation",
        ids["org"],
        "staff",
        EXPIRES,
        None,
    )
    cohort = find("COHORT01")
    assert cohort is not None and (cohort.kind, cohort.target_id, cohort.expires_at) == (
        "cohort",
        ids["cohort"],
        None,
    )
    assert cohort.usable()  # a 研修's code works until a new one is made
    signup = find("SIGNUP-CODE-0001")
    assert signup is not None and (signup.kind, signup.grants_signup, signup.max_uses, signup.uses) == (
        "signup",
        True,
        1,
        1,
    )
    assert (signup.created_by_id, signup.note) == (ids["hanako"], "次郎さんへ")
    used = Redemption.objects.get(invitation=signup)
    assert (used.user_id, used.at) == (ids["jiro"], AT)
    assert all(len(i.digest) == 64 and i.hint for i in Invitation.objects.all())  # no code is stored


def assert_history_kept(ids: dict[str, int]) -> None:
    """The groups an organisation's staff were shown became rows of the one history of the
    installation (issue 12), with their checks as numbers and the organisation they were shown to."""
    rows = list(ShownGroup.objects.values_list("checks", "first_shown_to", "shown_at"))
    assert rows == [(sorted([ids["paper"], ids["after"], ids["first"]]), ids["org"], AT)]
    assert LedgerState.objects.get().size == 1


def assert_at_main(old: Apps, before: Snapshot, ids: dict[str, int]) -> None:
    """Back at main's state: the same rows, and the content types under their old apps. Invitations
    come back with new codes nobody has seen (a digest cannot be turned back into a code)."""
    after = snapshot(old)
    for label, columns in AT_MAIN_AGAIN_WITHOUT.items():
        assert len({row[c] for row in after[label] for c in columns if c != "id"}) == len(after[label])
        assert without(after[label], columns) == without(before[label], columns), label
    masked = set(AT_MAIN_AGAIN_WITHOUT)
    assert {k: v for k, v in after.items() if k not in masked} == {
        k: v for k, v in before.items() if k not in masked
    }
    ContentType_ = old.get_model("contenttypes", "ContentType")
    assert ContentType_.objects.get(pk=ids["share_type"]).app_label == "teams"
    assert ContentType_.objects.get(pk=ids["plan_share_type"]).app_label == "plans"


# --- the test ------------------------------------------------------------------------------------


def test_a_database_from_main_migrates_forward_and_back_intact(at_main: Apps) -> None:
    ids = populate(at_main)
    before = snapshot(at_main)

    migrate_to_latest()
    assert_rows_kept(before)
    assert_meaning_kept(ids)

    assert_at_main(migrate_to_main(), before, ids)

    migrate_to_latest()
    assert_rows_kept(before)
    assert_meaning_kept(ids, round_trip=True)
