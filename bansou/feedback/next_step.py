"""What a closed request offers next: 次の一歩 from the items where self and others are furthest apart
(made by plans' own service, from the check the request was compared with), and sharing those items
with one of the supporter's teams, for its dialogue sheet (teams' port ``teams.companions.dialogue``).

The items are the comparison's largest differences, as the page's 「次の一歩のヒント」 lists them (at
most ``plans.services.MAX_STEPS``). A team sees only those items and their place in the 2x2 — never
a count of raters, a figure or a comment."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from bansou.checks.models import Check
from bansou.domain import feedback_codec
from bansou.domain.feedback import PLACE_WORDS, ItemView
from bansou.domain.framework import Item
from bansou.feedback.models import FeedbackRequest
from bansou.frameworks.queries import framework_of
from bansou.plans.models import Plan
from bansou.plans.services import MAX_STEPS, start_plan
from bansou.teams import companions
from bansou.teams.models import Team, TeamMember
from bansou.teams.queries import teams_of


def differences(asked: FeedbackRequest) -> tuple[ItemView, ...]:
    """The largest differences of a closed request whose comparison is shown; empty otherwise."""
    if asked.comparison is None:
        return ()
    comparison = feedback_codec.loads(asked.comparison)
    if not comparison.shown:
        return ()
    return comparison.largest_differences()[:MAX_STEPS]


def own_check(asked: FeedbackRequest) -> Check | None:
    """The check the request was compared with, while it exists and is still the supporter's."""
    if asked.self_check_id is None:
        return None
    return (
        Check.objects.select_related("framework").filter(pk=asked.self_check_id, owner=asked.owner_id).first()
    )


def plan_items(asked: FeedbackRequest, check: Check) -> list[Item]:
    """The items to pre-choose: the largest differences that are items of the check's framework."""
    items = {i.code: i for i in framework_of(check.framework).items()}
    return [items[v.code] for v in differences(asked) if v.code in items]


def start(asked: FeedbackRequest, check: Check) -> tuple[Plan | None, bool]:
    """The plan of ``check`` with the suggested items, by plans' own service, and whether it was made
    now; a check that has a plan keeps it as it is (what the supporter chose is never overwritten).
    None: nothing to suggest."""
    existing = Plan.objects.filter(check_record=check).first()
    if existing is not None:
        return existing, False
    codes = [i.code for i in plan_items(asked, check)]
    if not codes:
        return None, False
    return start_plan(owner=asked.owner, check=check, item_codes=codes), True


def place_words(view: ItemView) -> str:
    """Where the item sits in the 2x2, in words, with self and others as ○/× (no count)."""
    place = view.place
    if place is None:
        return "—"
    self_mark = "○" if view.self_practised else "×"
    others_mark = "○" if view.others_see else "×"
    return _("%(place)s（自分%(self)s・周り%(others)s）") % {
        "place": PLACE_WORDS[place],
        "self": self_mark,
        "others": others_mark,
    }


def shared_rows(asked: FeedbackRequest) -> list[companions.Row]:
    """What a team's leads see of this request: the items and their place, nothing else."""
    items = {i.code: i for i in framework_of(asked.framework).items()}
    return [
        companions.Row(f"{items[v.code].mark}{items[v.code].name}", place_words(v))
        for v in differences(asked)
        if v.code in items
    ]


def seat(asked: FeedbackRequest, team_id: uuid.UUID) -> Team | None:
    """The team of that public id, if the supporter is a member of it now."""
    found = (
        TeamMember.objects.filter(user_id=asked.owner_id, team__public_id=team_id)
        .select_related("team__municipality")
        .first()
    )
    return found.team if found is not None else None


def share_with_team(asked: FeedbackRequest, team: Team | None) -> None:
    """Shares the largest differences with ``team`` (one team at a time), or withdraws (None)."""
    found = FeedbackRequest.objects.filter(pk=asked.pk)
    changing = (
        found.filter(shared_with_team__isnull=False) if team is None else found.exclude(shared_with_team=team)
    )
    changing.update(shared_with_team=team)  # no write when nothing changes
    asked.shared_with_team = team


def page_context(asked: FeedbackRequest) -> dict[str, Any]:
    """For the request's page, once closed: the 次の一歩 offer and the team choice."""
    if not asked.closed:
        return {}
    check = own_check(asked)
    if not differences(asked):
        return {"next_step": {"differs": False, "check": check}}
    plan = None
    suggested: list[Item] = []
    if check is not None:
        plan = Plan.objects.filter(check_record=check).prefetch_related("steps").first()
        suggested = plan_items(asked, check)
    in_plan = {s.item_code for s in plan.steps.all()} if plan is not None else set()
    seats = teams_of(asked.owner)
    member_of = {s.team_id for s in seats}
    return {
        "next_step": {
            "differs": True,
            "check": check,
            "plan": plan,
            "suggested": [{"item": i, "in_plan": i.code in in_plan} for i in suggested],
        },
        "team_share": {
            "rows": shared_rows(asked),
            "teams": [{"team": s.team, "label": s.team.listing} for s in seats],
            "shared": asked.shared_with_team,
            "still_member": asked.shared_with_team_id in member_of,
        },
    }


def dialogue_rows(members: companions.SheetMembers) -> dict[str, Any]:
    """For a team's dialogue sheet (``teams.companions.dialogue``): per current member who chose this
    team, the largest differences of their latest closed request shared with it. One query."""
    found = (
        FeedbackRequest.objects.filter(
            shared_with_team_id=members.team_id,
            owner_id__in=members.user_ids,
            closed_at__isnull=False,
            comparison__isnull=False,
        )
        .select_related("framework")
        .order_by("owner_id", "-closed_at", "-pk")
    )
    rows: dict[int, tuple[companions.Row, ...]] = {}
    for asked in found:
        if asked.owner_id not in rows:
            rows[asked.owner_id] = tuple(shared_rows(asked))
    return {
        "feedback": companions.MemberExtras(
            heading=_("他者からのフィードバックで違いが大きかった項目"),
            note=_(
                "本人が選んでこのチームに共有した、他者からのフィードバックで自分の見方と周りの見方の違いが大きかった項目と、"
                "その位置です。評価ではなく、対話のきっかけです。回答した人数やコメントは含みません。"
            ),
            rows={user_id: r for user_id, r in rows.items() if r},
        )
    }
