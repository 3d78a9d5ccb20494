"""The access table of PRODUCT.md, written out row by row: every relation that can occur x every action.

The expected decisions are spelled out by hand, not derived from the rules under test, so that a change
to ``bansou.domain.access`` has to be matched by a change to this table.
"""

from __future__ import annotations

import itertools

import pytest

from bansou.domain.access import (
    CohortAction,
    CohortRelation,
    Decision,
    OrgAction,
    OrgRelation,
    TeamAction,
    TeamRelation,
    cohort_decision,
    org_decision,
    team_decision,
)

Y = Decision.ALLOW
F = Decision.FORBIDDEN
N = Decision.NOT_FOUND

# -- Teams -------------------------------------------------------------------------------------

# Columns, in this order.
TEAM_COLUMNS = (
    TeamAction.SEE,
    TeamAction.MAP,
    TeamAction.SHARE_OWN,
    TeamAction.MEMBER_ANSWERS,
    TeamAction.DIALOGUE,
    TeamAction.MANAGE,
    TeamAction.POOL,
    TeamAction.STEWARD,
)

# Every relation that can occur: a lead is a member; "self_" (the page is about the viewer) only for a
# member; org staff may or may not be in the team.
TEAM_TABLE: dict[str, tuple[TeamRelation, tuple[Decision, ...]]] = {
    # relation: (SEE, MAP, SHARE_OWN, MEMBER_ANSWERS, DIALOGUE, MANAGE, POOL, STEWARD)
    "anonymous or outsider": (TeamRelation(), (N, N, N, N, N, N, N, N)),
    "member": (TeamRelation(member=True), (Y, Y, Y, F, F, F, F, F)),
    "member, own page": (TeamRelation(member=True, self_=True), (Y, Y, Y, Y, F, F, F, F)),
    "lead": (TeamRelation(member=True, lead=True), (Y, Y, Y, Y, Y, Y, F, Y)),
    "lead, own page": (TeamRelation(member=True, lead=True, self_=True), (Y, Y, Y, Y, Y, Y, F, Y)),
    "org staff, not a member": (TeamRelation(org_staff=True), (Y, F, F, F, F, F, Y, Y)),
    "org staff and member": (TeamRelation(member=True, org_staff=True), (Y, Y, Y, F, F, F, Y, Y)),
    "org staff and member, own page": (
        TeamRelation(member=True, org_staff=True, self_=True),
        (Y, Y, Y, Y, F, F, Y, Y),
    ),
    "org staff and lead": (TeamRelation(member=True, lead=True, org_staff=True), (Y, Y, Y, Y, Y, Y, Y, Y)),
    "org staff and lead, own page": (
        TeamRelation(member=True, lead=True, org_staff=True, self_=True),
        (Y, Y, Y, Y, Y, Y, Y, Y),
    ),
}

TEAM_CASES = [
    pytest.param(relation, action, expected, id=f"{name}-{action.value}")
    for name, (relation, row) in TEAM_TABLE.items()
    for action, expected in zip(TEAM_COLUMNS, row, strict=True)
]


def test_team_table_has_a_column_for_every_action() -> None:
    assert set(TEAM_COLUMNS) == set(TeamAction)
    assert len(TEAM_COLUMNS) == len(TeamAction)


def test_team_table_has_every_relation_that_can_occur() -> None:
    # Possible: lead implies member, self_ implies member.
    possible = {
        TeamRelation(member=m, lead=lead, org_staff=s, self_=me)
        for m, lead, s, me in itertools.product((False, True), repeat=4)
        if (m or not lead) and (m or not me)
    }
    assert {relation for relation, _ in TEAM_TABLE.values()} == possible


@pytest.mark.parametrize(("relation", "action", "expected"), TEAM_CASES)
def test_team_decision(relation: TeamRelation, action: TeamAction, expected: Decision) -> None:
    assert team_decision(relation, action) is expected


# Flags that cannot occur without membership must not open anything on their own.
@pytest.mark.parametrize(
    "relation",
    [TeamRelation(lead=True), TeamRelation(self_=True), TeamRelation(lead=True, self_=True)],
    ids=["lead without membership", "own page without membership", "both without membership"],
)
@pytest.mark.parametrize("action", list(TeamAction))
def test_team_flags_without_membership_or_staff_reveal_nothing(
    relation: TeamRelation, action: TeamAction
) -> None:
    assert team_decision(relation, action) is N


def test_org_staff_on_a_page_about_themselves_without_membership_does_not_see_member_answers() -> None:
    # Not a state the views produce; it must still fail closed.
    relation = TeamRelation(org_staff=True, self_=True)
    assert team_decision(relation, TeamAction.MEMBER_ANSWERS) is F
    assert team_decision(relation, TeamAction.SEE) is Y
    assert team_decision(relation, TeamAction.POOL) is Y
    assert team_decision(relation, TeamAction.MAP) is F


def test_participant_is_a_member_or_org_staff() -> None:
    assert not TeamRelation().participant
    assert not TeamRelation(lead=True, self_=True).participant
    assert TeamRelation(member=True).participant
    assert TeamRelation(org_staff=True).participant


# -- Organisations -----------------------------------------------------------------------------

ORG_COLUMNS = (OrgAction.SEE, OrgAction.JOIN_POOL, OrgAction.STAFF, OrgAction.MANAGE)

# An administrator is also staff ("staff or administrator"); the admin-only flag is listed too.
ORG_TABLE: dict[str, tuple[OrgRelation, tuple[Decision, ...]]] = {
    # relation: (SEE, JOIN_POOL, STAFF, MANAGE)
    "anonymous or outsider": (OrgRelation(), (N, N, N, N)),
    "member": (OrgRelation(member=True), (Y, Y, F, F)),
    "staff": (OrgRelation(member=True, staff=True), (Y, Y, Y, F)),
    "admin": (OrgRelation(member=True, staff=True, admin=True), (Y, Y, Y, Y)),
    "admin flag without staff flag": (OrgRelation(member=True, admin=True), (Y, Y, Y, Y)),
}

ORG_CASES = [
    pytest.param(relation, action, expected, id=f"{name}-{action.value}")
    for name, (relation, row) in ORG_TABLE.items()
    for action, expected in zip(ORG_COLUMNS, row, strict=True)
]


def test_org_table_has_a_column_for_every_action() -> None:
    assert set(ORG_COLUMNS) == set(OrgAction)
    assert len(ORG_COLUMNS) == len(OrgAction)


@pytest.mark.parametrize(("relation", "action", "expected"), ORG_CASES)
def test_org_decision(relation: OrgRelation, action: OrgAction, expected: Decision) -> None:
    assert org_decision(relation, action) is expected


@pytest.mark.parametrize(
    "relation",
    [OrgRelation(staff=True), OrgRelation(admin=True), OrgRelation(staff=True, admin=True)],
    ids=["staff flag only", "admin flag only", "staff and admin flags only"],
)
@pytest.mark.parametrize("action", list(OrgAction))
def test_org_roles_without_membership_reveal_nothing(relation: OrgRelation, action: OrgAction) -> None:
    assert org_decision(relation, action) is N


# 研修 ---------------------------------------------------------------------------------------------

COHORT_TABLE = {
    # relation: (SEE, SUBMIT, ORGANISE)
    CohortRelation(): ("not_found", "not_found", "not_found"),
    CohortRelation(participant=True): ("allow", "allow", "forbidden"),
    CohortRelation(organiser=True): ("allow", "forbidden", "allow"),
    CohortRelation(participant=True, organiser=True): ("allow", "allow", "allow"),
}


@pytest.mark.parametrize(("relation", "expected"), COHORT_TABLE.items())
def test_cohort_access_table(relation: CohortRelation, expected: tuple[str, str, str]) -> None:
    actions = (CohortAction.SEE, CohortAction.SUBMIT, CohortAction.ORGANISE)
    assert tuple(cohort_decision(relation, a).value for a in actions) == expected
