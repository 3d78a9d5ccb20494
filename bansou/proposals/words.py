"""The optimiser's enums and rule keys in Japanese (``domain.forming`` keeps them opaque)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.forming import ChosenFor, HardError, Problem, Reason, RuleInstance, RuleKind
from bansou.teams import rule_words
from bansou.teams.pool_presenter import day
from bansou.teams.rule_words import BASICS, level_sentence

__all__ = ["BASICS", "CHOSEN_FOR", "REASONS", "Rules", "level_sentence", "problem"]


@dataclass(frozen=True)
class Rules(rule_words.Rules):
    """The shared rule names, with forming's reasons worded for one team."""

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

CHOSEN_FOR = {
    ChosenFor.MUST_IN: _("「必ず入れる人」に選ばれています"),
    ChosenFor.CORE_B: _(
        "中核推進役・調整役として、ほかのメンバーが実践できていない B の力を実践できています"
    ),
    ChosenFor.ONLY_C: _("C の力を実践できる人数を満たすのに必要です"),
    ChosenFor.BASICS: _("%(a)sをすべて理解しています") % {"a": BASICS},
    ChosenFor.AREA: _("その地域に対応できます"),
    ChosenFor.EXPERIENCE: _("この市町村を支援したことがあります"),
    ChosenFor.CORE_ROLE: _("中核推進役・調整役を担えます（必要な人数のため）"),
    ChosenFor.SIZE: _("チームの人数の下限を満たすためです"),
}

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
