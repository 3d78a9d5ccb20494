"""The team rules in words, for the pages that propose people (one team: ``proposals``; many
市町村: ``placements``): rule keys to the leaflet's names, the open levels of an exact solve, and the
verdicts a team of pool members would have on the team page (``coverage.assess``). No queries."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Self

from django.utils.translation import gettext as _

from bansou.domain.coverage import Profile, assess, labels_of
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.forming import HardError, LevelResult, Problem, Reason, RuleInstance, RuleKind
from bansou.domain.framework import Framework
from bansou.teams.pool_people import CORE_ROLE, Standings
from bansou.teams.pool_presenter import day
from bansou.teams.presenters import verdict_label

BASICS = "基礎知識・基礎スキル（A）"


@dataclass(frozen=True)
class Rules:
    """Rule keys of one framework to their names: "B:2" → the element's, "C:C-3" → the label's."""

    names: dict[str, str]

    @classmethod
    def of(cls, framework: Framework) -> Self:
        names = {f"B:{e.number}": e.name for e in framework.elements if e.tier == "B"}
        names |= {f"C:{label.code}": label.name for label in labels_of(framework, "C")}
        return cls(names)

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def instance(self, inst: RuleInstance, who: Mapping[str, str]) -> str:
        if inst.kind is RuleKind.A:
            if inst.person is None:
                return _("全員が%(a)sを理解していること") % {"a": BASICS}
            return _("%(name)s さんの%(a)s") % {"name": who.get(inst.person, "—"), "a": BASICS}
        if inst.kind is RuleKind.B:
            return _("B「%(rule)s」を中核推進役・調整役が実践できていること") % {"rule": self.name(inst.rule)}
        return _("C「%(rule)s」を実践できる%(n)d人目") % {"rule": self.name(inst.rule), "n": inst.nth}

    def reason(self, inst: RuleInstance, reason: Reason) -> str:
        rule = self.name(inst.rule) if inst.kind is not RuleKind.A else BASICS
        if reason is Reason.NOBODY_PRACTISES:
            if inst.kind is RuleKind.C and inst.nth > 1:
                return _("プールの中に「%(rule)s」を実践できている人が%(n)d人いません。") % {
                    "rule": rule,
                    "n": inst.nth,
                }
            return _("プールの中に「%(rule)s」を実践できている人がいません。") % {"rule": rule}
        return REASONS[reason]


REASONS = {
    Reason.NOBODY_PRACTISES: "",  # worded with the rule: Rules.reason
    Reason.NOT_ELIGIBLE: _(
        "実践できている人はいますが、対応できない期間中か、この年度の受け入れ可能数に達しているか、"
        "「入れない人」に選ばれています。"
    ),
    Reason.NOT_CORE: _("実践できている人はいますが、中核推進役・調整役を担える人の中にはいません。"),
    Reason.TOO_FEW_WITH_BASICS: _("%(a)sをすべて理解している人が、チームの人数に足りません。")
    % {"a": BASICS},
    Reason.MUST_IN: _("「必ず入れる人」の中に、%(a)sをすべては理解していない人がいます。") % {"a": BASICS},
    Reason.SIZE_LIMIT: _("チームの人数の上限の中では、これらを同時には満たせません。"),
    Reason.CORE_LIMIT: _("中核推進役・調整役の人数の上限の中では、これらを同時には満たせません。"),
    Reason.CONFLICT: _("プールの人の組み合わせでは、これらを同時には満たせません。"),
    Reason.TRADE_OFF: _("満たせる人はいますが、ほかの項目を満たすことを優先しました。"),
    Reason.NOT_EXAMINED: _("速い提案では理由を確かめていません（厳密な提案で確かめます）。"),
}

LEVELS = {
    "a": _("満たせない項目をあと最大%(gap)d件減らせる可能性があります。"),
    "b": _("最も多い人の受け持ちを、あと最大%(gap)dチーム減らせる可能性があります。"),
    "c": _("優先する条件に合う人を、あと最大%(gap)d人増やせる可能性があります。"),
    "d": _("チームの人数を、あと最大%(gap)d人減らせる可能性があります。"),
}


def level_sentence(level: LevelResult) -> str:
    """What one unproven level of the exact solve leaves open."""
    if level.proven:
        return ""
    if level.bound is None:
        return _("作業量の上限までに、これより良い答えがあるかどうかの見込みが得られませんでした。")
    if level.level in LEVELS:
        return LEVELS[level.level] % {"gap": abs(level.gap or 0)}
    return _("同じ評価のチームのうち、どれを先に示すか（名前順）は確かめきれていません。")


def verdicts(
    members: Sequence[str],
    core: Collection[str],
    standings: Mapping[str, Standings],
    framework: Framework,
    needed: int,
    who: Mapping[str, str],
) -> list[dict[str, str]]:
    """The A/B/C verdicts of the team page (``coverage.assess``) if these people formed a team and
    every member shared with it the check they share with the organisation, the ``core`` members in
    a core role."""
    profiles = [
        standings[key].profile(key, key in core)
        if key in standings
        else Profile(key=key, roles=frozenset({CORE_ROLE}) if key in core else frozenset())
        for key in members
    ]
    rules = Rules.of(framework)
    assessment = assess(framework, profiles, needed)
    rows = []
    if assessment.basics is not None:
        rows.append({"tier": "A", "rule": BASICS, "verdict": verdict_label(assessment.basics.verdict)})
    rows += [
        {
            "tier": "B",
            "rule": rules.name(f"B:{rule.element}"),
            "verdict": verdict_label(rule.verdict),
            "holders": "、".join(who.get(k, "—") for k in rule.holders),
        }
        for rule in assessment.b_rules
    ]
    rows += [
        {
            "tier": "C",
            "rule": label_rule.name,
            "verdict": verdict_label(label_rule.verdict),
            "holders": "、".join(who.get(k, "—") for k in label_rule.holders),
        }
        for label_rule in assessment.c_rules
    ]
    return rows


PROBLEMS: dict[HardError, tuple[str, str]] = {
    HardError.EMPTY_POOL: (
        "",
        "組織の人材プールに、組織とチェックを共有している人がいません。"
        "プールへの登録とチェックの共有を依頼してください。",
    ),
    HardError.SIZE_RANGE: ("size_min", "チームの人数の下限と上限を見直してください。"),
    HardError.NEEDED_RANGE: ("needed", "1人以上にしてください。"),
    HardError.CORE_RANGE: ("core_min", "中核推進役・調整役の人数を見直してください。"),
    HardError.MUST_IN_UNKNOWN: ("must_in", "%(name)s さんは人材プールにいません。"),
    HardError.MUST_IN_EXCLUDED: (
        "must_out",
        "%(name)s さんを「必ず入れる」と「入れない」の両方に選んでいます。",
    ),
    HardError.MUST_IN_UNAVAILABLE: ("must_in", "%(name)s さんは、%(day)sに対応できない期間に入っています。"),
    HardError.MUST_IN_OVER_CAPACITY: (
        "must_in",
        "%(name)s さんは、%(fy)sに受けられるチームの数に達しています。",
    ),
    HardError.TOO_MANY_MUST_IN: (
        "must_in",
        "「必ず入れる人」が%(n)d人いて、チームの人数の上限を超えています。",
    ),
    HardError.TOO_FEW_ELIGIBLE: (
        "size_min",
        "この年度に選べる人（対応でき、受け入れ可能数に余裕のある人）が%(n)d人しかいません。"
        "人数の下限を見直してください。",
    ),
    HardError.TOO_FEW_CORE: ("core_min", "選べる人の中で中核推進役・調整役を担える人が%(n)d人しかいません。"),
}


def problem(p: Problem, who: dict[str, str], fiscal_year: int, start: date) -> tuple[str, str]:
    """(the form field it belongs to, the sentence) for one hard error."""
    field, sentence = PROBLEMS[p.error]
    values = {
        "name": who.get(p.person or "", "—"),
        "day": day(start),
        "fy": format_fiscal_year(fiscal_year),
        "n": p.count or 0,
    }
    return field, _(sentence) % values
