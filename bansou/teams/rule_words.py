"""The team rules in words, for the pages that propose people (one team: ``proposals``; many
市町村: ``placements``): rule keys to the leaflet's names, the open levels of an exact solve, and the
verdicts a team of pool members would have on the team page (``coverage.assess``). No queries."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

from django.utils.translation import gettext as _

from bansou.domain.coverage import Profile, assess, labels_of
from bansou.domain.forming import LevelResult, RuleInstance, RuleKind
from bansou.domain.framework import Framework
from bansou.teams.pool_people import CORE_ROLE, Standings
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
