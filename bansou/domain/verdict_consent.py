"""Which of a team's verdicts the running organisation's staff may read.

A verdict tells something about every member it considers. In a team with a single 中核推進役, a met
B rule *is* that person's standing on the element; a met A rule says that every member understands
the basics. Names and counts of people left out, a verdict can still be about one person.

So staff who are not in the team read a verdict, and its gap, only when every member the verdict
considers has agreed that the team's verdicts may be shown to the running organisation's staff.
Otherwise the verdict is hidden, and so is whether it is a gap.

The members a verdict considers (``bansou.domain.coverage``):

- A (the basics): every member;
- B: the 中核推進役/調整役 (``ElementRule.considered``);
- C: every member (``LabelRule.considered``), one verdict per label of the table.

A verdict that considers nobody (a B rule in a team with no 中核推進役/調整役) tells nothing about
anyone's standing, and is shown. Members of the team see every verdict as before: this rule is only
for staff reading the team from outside it.

Keys (``str``) identify members, as in ``coverage``. No Django.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bansou.domain.coverage import Assessment, BasicsRule, Rule


def may_show(considered: Iterable[str], consenting: Collection[str]) -> bool:
    """May staff read a verdict about ``considered``? Only if every one of them is ``consenting``."""
    return all(key in consenting for key in considered)


def considered_by(rule: Rule | BasicsRule) -> tuple[str, ...]:
    """The members a verdict is about: A — everyone; B — the core members; C — everyone."""
    if isinstance(rule, BasicsRule):
        return rule.members
    return rule.considered


def shown_to_staff(rule: Rule | BasicsRule, consenting: Collection[str]) -> bool:
    return may_show(considered_by(rule), consenting)


@dataclass(frozen=True)
class StaffView:
    """What staff may read of an assessment: the B and C rules and gaps shown, and whether the basics are."""

    shown: frozenset[str]  # the keys (``Rule.key``) of the B and C rules staff may read
    basics_shown: bool
    hidden: int  # how many verdicts (B and C rules and the basics) are hidden

    def shows(self, rule: Rule) -> bool:
        return rule.key in self.shown


def staff_view(assessment: Assessment, consenting: Collection[str]) -> StaffView:
    """The verdicts of ``assessment`` staff may read, given the members who consented."""
    rules = assessment.rules
    shown = frozenset(r.key for r in rules if shown_to_staff(r, consenting))
    basics = assessment.basics
    basics_shown = basics is None or shown_to_staff(basics, consenting)
    hidden = len(rules) - len(shown) + (0 if basics_shown else 1)
    return StaffView(shown=shown, basics_shown=basics_shown, hidden=hidden)


def staff_gaps(assessment: Assessment, view: StaffView) -> tuple[Rule, ...]:
    """The gaps staff may read: those of the verdicts shown (a hidden verdict's gap stays hidden)."""
    return tuple(rule for rule in assessment.gaps if view.shows(rule))


def staff_basics_gap(assessment: Assessment, view: StaffView) -> BasicsRule | None:
    """The shortfall in the basics staff may read: only when the A verdict itself is shown."""
    return assessment.basics_gap if view.basics_shown else None
