"""The optimiser's enums and rule keys in Japanese (``domain.forming`` keeps them opaque): the team
rules' words are ``teams.rule_words`` (the plan across 市町村 says them too); why a person was chosen
is one team's own."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bansou.domain.forming import ChosenFor
from bansou.teams.rule_words import BASICS, PROBLEMS, REASONS, Rules, level_sentence, problem

__all__ = ["BASICS", "CHOSEN_FOR", "PROBLEMS", "REASONS", "Rules", "level_sentence", "problem"]

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
