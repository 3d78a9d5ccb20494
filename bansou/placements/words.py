"""The planner's enums in Japanese (``domain.planning`` keeps them opaque): why a rule stays unmet
across the plan, why no plan exists, how sure the plan is. The team rules' own words are
``teams.rule_words`` (the single-team proposal says them too)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext as _

from bansou.domain import forming, planning
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.forming import RuleInstance, RuleKind
from bansou.teams.rule_words import BASICS, REASONS, Rules, problem

STATUS = {
    forming.Status.HEURISTIC: _("速い方法による計画です。これより良い計画がないかは、まだ確かめていません。"),
    forming.Status.OPTIMAL: _("厳密に解き、この順位でこれより良い計画がないことを確かめました。"),
    forming.Status.LIMITED: _(
        "厳密に解きましたが、決められた作業量の上限に達したため、最善であることは確かめきれていません。"
    ),
}

PLAN_REASONS = {
    planning.Reason.SHARED: _(
        "それぞれの市町村だけなら満たせますが、同じ人が複数のチームで必要になり、"
        "その人の受けられるチームの数を超えます。"
    ),
    planning.Reason.SHORTAGE: _(
        "実践できる人の、この年度に受けられるチームの数（残り）が、チームが必要とする数より少なくなっています。"
    ),
}


def rule_name(rules: Rules, kind: RuleKind, rule: str) -> str:
    return BASICS if kind is RuleKind.A else rules.name(rule)


def reason(rules: Rules, why: planning.Reason, inst: RuleInstance | None = None, rule: str = "") -> str:
    """One reason in words (with its rule instance where the reason names the rule)."""
    if why in PLAN_REASONS:
        return PLAN_REASONS[why]
    mine = forming.Reason(why.value)
    if mine is forming.Reason.NOBODY_PRACTISES:
        if inst is not None:
            return rules.reason(inst, mine)
        return _("プールの中に「%(rule)s」を実践できている人がいません。") % {"rule": rule}
    return REASONS[mine]


def plan_problem(
    p: planning.PlanProblem, who: Mapping[str, str], places: Mapping[str, str], fiscal_year: int, start: date
) -> str:
    """Why no plan can be made, in one sentence naming the 市町村 or the person."""
    if p.error is planning.PlanError.TARGET and p.problem is not None:
        _field, sentence = problem(p.problem, dict(who), fiscal_year, start)
        return _("%(place)s：チームを作れません。%(why)s") % {
            "place": places.get(p.target or "", p.target or "—"),
            "why": sentence,
        }
    if p.error is planning.PlanError.DUPLICATE:
        return _("同じ市町村、または同じ人が二度入っています。")
    if p.error is planning.PlanError.OVER_CAPACITY:
        return _("%(name)s さんは、今のチームに残るだけで、%(fy)sに受けられるチームの数を超えます。") % {
            "name": who.get(p.person or "", "—"),
            "fy": format_fiscal_year(fiscal_year),
        }
    if p.error is planning.PlanError.NO_PLAN:
        return _(
            "どの市町村も1つずつならチームを作れますが、すべての市町村に同時には作れません"
            "（受けられるチームの数に対して、人が足りません）。市町村を減らすか、人数の下限を見直してください。"
        )
    return _("作業量の上限までに、条件を満たす計画が見つかりませんでした。")
