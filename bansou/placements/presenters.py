"""A plan in words and tables, for its page and its downloads (no queries): the table of 市町村 ×
people with their roles, the rules each team would meet (the team page's verdicts), how sure the plan
is, the conflicts, and the gaps across the planned 市町村."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bansou.domain import planning
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.placements import words
from bansou.placements.pool import PlanPool
from bansou.teams.models import Team
from bansou.teams.rule_words import Rules, level_sentence, verdicts

CORE = _("中核推進役・調整役")
MEMBER = _("メンバー")


@dataclass(frozen=True)
class Seen:
    """What the page knows besides the outcome: names of people and 市町村, the existing teams."""

    pool: PlanPool
    places: Mapping[str, str]  # 団体コード → 「東京都 千代田区」
    teams: Mapping[str, Team]  # 団体コード → its existing team in the plan
    needed: Mapping[str, int]  # 団体コード → the C target asked
    fiscal_year: int
    # existing team id → names of its members outside the pool: they stay, and the plan does not count them
    outside: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def who(self) -> dict[str, str]:
        return {key: self.pool.name(key) for key in self.pool.profiles}


def gap_rows(outcome: planning.PlanOutcome, rules: Rules, seen: Seen) -> list[dict[str, Any]]:
    """The gaps across the planned 市町村: each rule no plan fills, how many short, why, and where."""
    return [
        {
            "tier": gap.kind.value,
            "rule": gap.rule,
            "name": words.rule_name(rules, gap.kind, gap.rule),
            "missing": gap.missing,
            "reason_code": gap.reason.value,
            "reason": words.reason(rules, gap.reason, rule=words.rule_name(rules, gap.kind, gap.rule)),
            "places": [(code, seen.places.get(code, code)) for code in gap.targets],
        }
        for gap in outcome.gaps
    ]


def team_rows(outcome: planning.PlanOutcome, framework: Framework, seen: Seen) -> list[dict[str, Any]]:
    if outcome.plan is None:
        return []
    rules = Rules.of(framework)
    who = seen.who
    rows = []
    for team in outcome.plan.teams:
        existing = seen.teams.get(team.target)
        current = seen.pool.current(existing.pk if existing else None)
        core = set(team.core)
        rows.append(
            {
                "lgcode": team.target,
                "place": seen.places.get(team.target, team.target),
                "team": existing,
                "people": [
                    {
                        "key": key,
                        "name": who.get(key, "—"),
                        "core": key in core,
                        "role": CORE if key in core else MEMBER,
                        "kept": key in team.kept,
                        "new": bool(existing) and key not in current,
                    }
                    for key in sorted(team.members, key=lambda k: (k not in core, team.members.index(k)))
                ],
                "removed": [who.get(k, "—") for k in sorted(current - set(team.members))],
                "outside": seen.outside.get(existing.pk, ()) if existing else (),
                "unmet": len(team.unmet),
                "uncovered": [
                    {
                        "what": rules.instance(u.instance, who),
                        "why": words.reason(rules, u.reason, u.instance),
                    }
                    for u in team.uncovered
                ],
                "verdicts": verdicts(
                    team.members, core, seen.pool.standings, framework, seen.needed.get(team.target, 1), who
                ),
            }
        )
    return rows


def people_rows(outcome: planning.PlanOutcome, seen: Seen) -> list[dict[str, Any]]:
    """Each person placed: where, in which role, and their load in the 年度 after the plan."""
    if outcome.plan is None:
        return []
    loads = {s.key: s.person.load for s in seen.pool.supporters}
    rows = []
    for key, places in outcome.plan.roles().items():
        profile = seen.pool.profiles.get(key)
        rows.append(
            {
                "name": seen.pool.name(key),
                "membership_id": profile.membership_id if profile else None,
                "places": [
                    _("%(place)s（%(role)s）")
                    % {"place": seen.places.get(t, t), "role": CORE if c else MEMBER}
                    for t, c in places
                ],
                "load": _("%(fy)sは%(n)dチーム（上限%(cap)d）")
                % {
                    "fy": format_fiscal_year(seen.fiscal_year),
                    "n": loads.get(key, 0) + len(places),
                    "cap": profile.capacity if profile else 0,
                },
            }
        )
    return sorted(rows, key=lambda r: str(r["name"]))


def outcome_context(outcome: planning.PlanOutcome, framework: Framework, seen: Seen) -> dict[str, Any]:
    rules = Rules.of(framework)
    who = seen.who
    plan = outcome.plan
    return {
        "status": status_of(plan),
        "open_levels": [s for s in map(level_sentence, plan.levels) if s] if plan else [],
        "summary": _(
            "満たせない項目 %(unmet)d件（全チームの合計）・最も多い人の受け持ち %(load)dチーム・"
            "配置 %(n)d人分"
        )
        % {"unmet": plan.objective.unmet, "load": plan.objective.max_load, "n": plan.objective.places}
        if plan
        else "",
        "teams": team_rows(outcome, framework, seen),
        "people": people_rows(outcome, seen),
        "gaps": gap_rows(outcome, rules, seen),
        "conflicts": [
            {
                "instances": [
                    _("%(place)sの%(what)s")
                    % {"place": seen.places.get(i.target, i.target), "what": rules.instance(i.instance, who)}
                    for i in c.instances
                ],
                "reason": words.reason(
                    rules, c.reason, c.instances[0].instance if len(c.instances) == 1 else None
                ),
            }
            for c in outcome.conflicts
        ],
        "conflicts_complete": outcome.conflicts_complete,
        "problems": [
            words.plan_problem(p, who, seen.places, seen.fiscal_year, seen.pool.start)
            for p in outcome.problems
        ],
    }


def status_of(plan: planning.Plan | None, *, exact_ran: bool = False, too_large: bool = False) -> str:
    """How sure the plan is; with no plan, the next step (``exact_ran``: the exact plan was worked
    out; ``too_large``: it will not be, in a web request)."""
    if plan is not None:
        return words.STATUS[plan.status]
    if too_large:
        return _(
            "速い方法では計画が見つからず、候補が多すぎるため厳密な計画も計算しません。"
            "「対応できる地域の人だけを配置する」を選ぶか、市町村を分けて、計画を作り直してください。"
        )
    if exact_ran:
        return _(
            "厳密な計画でも、計画は見つかりませんでした。下の理由を見て、条件を見直して計画を作り直してください。"
        )
    return _("速い方法では計画が見つかりませんでした。厳密な計画を計算してください。")


def add_previous(context: dict[str, Any], before: planning.PlanOutcome, seen: Seen) -> None:
    """Beside each 市町村 of the plan, who the previous 年度's plan placed there (if it planned it)."""
    placed: dict[str, list[str]] = {}
    if before.plan is not None:
        for team in before.plan.teams:
            core = set(team.core)
            placed[team.target] = [
                _("%(name)s（%(role)s）") % {"name": seen.pool.name(k), "role": CORE if k in core else MEMBER}
                for k in team.members
            ]
    for row in context["teams"]:
        row["before"] = placed.get(row["lgcode"])
