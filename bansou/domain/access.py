"""Who may do what with a team or an organisation: the one table of access rules (PRODUCT.md).

A viewer who has no part in a team or organisation must not learn that it exists: ``NOT_FOUND``
(HTTP 404). A known participant who lacks the right gets ``FORBIDDEN`` (HTTP 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Decision(StrEnum):
    ALLOW = "allow"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class TeamRelation:
    """How a viewer stands to a team (all False for an anonymous viewer)."""

    member: bool = False
    lead: bool = False
    org_staff: bool = False  # staff or administrator of the organisation that runs the team
    self_: bool = False  # the viewer is the member the page is about

    @property
    def participant(self) -> bool:
        return self.member or self.org_staff


class TeamAction(StrEnum):
    SEE = "see"  # the team's overview: municipality, members and roles, rules and gaps, 担当
    MAP = "map"  # the members x elements map
    SHARE_OWN = "share_own"  # choose what of one's own the team may see; leave the team
    MEMBER_ANSWERS = "member_answers"  # a member's item-level answers
    DIALOGUE = "dialogue"  # the team dialogue sheet (built from item-level answers)
    MANAGE = "manage"  # invite, remove, roles, leads, settings, 担当
    POOL = "pool"  # look for people in the organisation's pool who could fill a gap
    # who was asked to take a place (offers) and their answers, withdrawing an open offer, carrying the
    # team into the next 年度: its leads and the running organisation's staff
    STEWARD = "steward"


_TEAM_RULES: dict[TeamAction, tuple[str, ...]] = {
    TeamAction.SEE: ("member", "org_staff"),
    TeamAction.MAP: ("member",),
    TeamAction.SHARE_OWN: ("member",),
    TeamAction.MEMBER_ANSWERS: ("lead", "self_"),
    TeamAction.DIALOGUE: ("lead",),
    TeamAction.MANAGE: ("lead",),
    TeamAction.POOL: ("org_staff",),
    TeamAction.STEWARD: ("lead", "org_staff"),
}


def team_decision(relation: TeamRelation, action: TeamAction) -> Decision:
    if not relation.participant:
        return Decision.NOT_FOUND
    if action is TeamAction.MEMBER_ANSWERS and relation.self_:
        # One's own answers: only as a member (a lead of nobody else's answers sees their own).
        return Decision.ALLOW if relation.member else Decision.FORBIDDEN
    allowed = any(getattr(relation, flag) for flag in _TEAM_RULES[action])
    return Decision.ALLOW if allowed else Decision.FORBIDDEN


@dataclass(frozen=True)
class OrgRelation:
    member: bool = False  # any role
    staff: bool = False  # staff or administrator
    admin: bool = False


class OrgAction(StrEnum):
    SEE = "see"  # the organisation's page, and one's own place in it
    JOIN_POOL = "join_pool"  # opt into the pool and share a check with the organisation
    STAFF = "staff"  # the member list, the pool, the teams the organisation runs
    MANAGE = "manage"  # invite, change roles, remove


_ORG_RULES: dict[OrgAction, tuple[str, ...]] = {
    OrgAction.SEE: ("member",),
    OrgAction.JOIN_POOL: ("member",),
    OrgAction.STAFF: ("staff", "admin"),
    OrgAction.MANAGE: ("admin",),
}


def org_decision(relation: OrgRelation, action: OrgAction) -> Decision:
    if not relation.member:
        return Decision.NOT_FOUND
    allowed = any(getattr(relation, flag) for flag in _ORG_RULES[action])
    return Decision.ALLOW if allowed else Decision.FORBIDDEN


@dataclass(frozen=True)
class CohortRelation:
    """How a viewer stands to a 研修 (all False for an anonymous viewer)."""

    participant: bool = False
    organiser: bool = False  # staff or administrator of the organisation that runs it


class CohortAction(StrEnum):
    SEE = "see"  # the 研修's page: dates, deadlines, what joining means
    SUBMIT = "submit"  # hand in one's own check as the pre- or post-check; leave
    ORGANISE = "organise"  # submission status, anonymous totals, projector, settings, closing


_COHORT_RULES: dict[CohortAction, tuple[str, ...]] = {
    CohortAction.SEE: ("participant", "organiser"),
    CohortAction.SUBMIT: ("participant",),
    CohortAction.ORGANISE: ("organiser",),
}


def cohort_decision(relation: CohortRelation, action: CohortAction) -> Decision:
    if not (relation.participant or relation.organiser):
        return Decision.NOT_FOUND
    allowed = any(getattr(relation, flag) for flag in _COHORT_RULES[action])
    return Decision.ALLOW if allowed else Decision.FORBIDDEN


@dataclass(frozen=True)
class FeedbackRelation:
    """How a viewer stands to a feedback request: only its supporter has any part in it. A rater
    answers by a link, not as a viewer of the request (the link's state decides their page)."""

    owner: bool = False


class FeedbackAction(StrEnum):
    SEE = "see"  # the request, its links' count, the comparison after close, the sheet, the downloads
    MANAGE = "manage"  # more links, paper answers, close, hide a comment, share with a team, delete


_FEEDBACK_RULES: dict[FeedbackAction, tuple[str, ...]] = {
    FeedbackAction.SEE: ("owner",),
    FeedbackAction.MANAGE: ("owner",),
}


def feedback_decision(relation: FeedbackRelation, action: FeedbackAction) -> Decision:
    """Anyone but the supporter must not learn the request exists: staff of their organisation, their
    team's lead and another supporter alike."""
    if not relation.owner:
        return Decision.NOT_FOUND
    allowed = any(getattr(relation, flag) for flag in _FEEDBACK_RULES[action])
    return Decision.ALLOW if allowed else Decision.FORBIDDEN
