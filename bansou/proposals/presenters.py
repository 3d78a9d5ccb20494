"""A proposal's outcome in words and tables, for its page (no queries): each alternative's members and
why they were chosen, who covers which rule, what stays uncovered and why, the verdicts the team would
have, and how sure the answer is."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from bansou.domain import forming
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.proposals import words
from bansou.proposals.pool import FormingPool
from bansou.teams.rule_words import verdicts

STATUS = {
    forming.Status.HEURISTIC: _(
        "速い方法による提案です。これより良いチームがないかは、まだ確かめていません。"
    ),
    forming.Status.OPTIMAL: _("厳密に解き、この順位でこれより良いチームがないことを確かめました。"),
    forming.Status.LIMITED: _(
        "厳密に解きましたが、決められた作業量の上限に達したため、最善であることは確かめきれていません。"
    ),
}


def outcome_context(
    outcome: forming.Outcome, pool: FormingPool, framework: Framework, fiscal_year: int, needed: int
) -> dict[str, Any]:
    rules = words.Rules.of(framework)
    who = {key: pool.name(key) for key in pool.profiles}
    return {
        "alternatives": [
            _alternative(n, p, pool, framework, rules, who, fiscal_year, needed)
            for n, p in enumerate(outcome.proposals, start=1)
        ],
        "conflicts": [
            {
                "instances": [rules.instance(i, who) for i in c.instances],
                "reason": rules.reason(c.instances[0], c.reason)
                if len(c.instances) == 1
                else words.REASONS[c.reason],
            }
            for c in outcome.conflicts
        ],
        "conflicts_complete": outcome.conflicts_complete,
        "candidates": outcome.candidates,
        "pool": outcome.pool,
    }


def _alternative(
    n: int,
    proposal: forming.Proposal,
    pool: FormingPool,
    framework: Framework,
    rules: words.Rules,
    who: dict[str, str],
    fiscal_year: int,
    needed: int,
) -> dict[str, Any]:
    notes = proposal.explanation
    objective = proposal.objective
    return {
        "number": n,
        "status": STATUS[proposal.status],
        "open_levels": [s for s in map(words.level_sentence, proposal.levels) if s],
        "summary": _("満たせない項目 %(unmet)d件・最も多い人の受け持ち %(load)dチーム・%(size)d人")
        % {
            "unmet": objective.unmet,
            "load": objective.max_load,
            "size": objective.size,
        },
        "members": [_member(m, pool, rules, fiscal_year) for m in notes.members],
        "b_cover": [(rules.name(key), [who.get(k, "—") for k in keys]) for key, keys in notes.b_cover],
        "c_cover": [
            (rules.name(key), [who.get(k, "—") for k in keys], len(keys) >= needed)
            for key, keys in notes.c_cover
        ],
        "uncovered": [
            {"what": rules.instance(u.instance, who), "why": rules.reason(u.instance, u.reason)}
            for u in notes.uncovered
        ],
        "preview": preview(proposal, pool, framework, needed, who),
        "member_keys": [(int(k), who.get(k, "—")) for k in proposal.members],
    }


def _member(
    note: forming.MemberNote, pool: FormingPool, rules: words.Rules, fiscal_year: int
) -> dict[str, Any]:
    profile = pool.profiles.get(note.key)
    return {
        "name": pool.name(note.key),
        "membership_id": profile.membership_id if profile else None,
        "core": note.core,
        "b_rules": [rules.name(k) for k in note.b_rules],
        "c_rules": [rules.name(k) for k in note.c_rules],
        "basics": note.basics,
        "load": _("%(fy)sは参加後%(n)dチーム（上限%(cap)d）")
        % {
            "fy": format_fiscal_year(fiscal_year),
            "n": note.load_after,
            "cap": profile.capacity if profile else 0,
        },
        "area": note.knows_area,
        "before": note.supported_before,
        "why": [words.CHOSEN_FOR[c] for c in note.chosen_for],
    }


def preview(
    proposal: forming.Proposal, pool: FormingPool, framework: Framework, needed: int, who: dict[str, str]
) -> list[dict[str, str]]:
    """The A/B/C verdicts of the team page if this team were formed and every member shared with it the
    check they share with the organisation, the core members in a core role (the creator of the team,
    who joins as its first lead, is not counted here)."""
    return verdicts(proposal.members, set(proposal.core), pool.standings, framework, needed, who)
