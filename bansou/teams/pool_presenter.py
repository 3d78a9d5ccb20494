"""A pool member's supporter profile in words, for the pool page and the profile page (no queries)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.professions import profession_names
from bansou.teams.selection import PoolProfile


def day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def period(start: date, end: date) -> str:
    return day(start) if start == end else f"{day(start)}〜{day(end)}"


def summary(profile: PoolProfile, fiscal_year: int, today: date) -> dict[str, Any]:
    """What staff read of the person: areas, professions, the core role, capacity and this 年度's load,
    the periods not yet over, and experience with the organisation's teams."""
    names = profession_names(profile.professions)
    left = profile.capacity - profile.load
    return {
        "filled": profile.filled,
        "prefectures": "、".join(name for _, name in profile.prefectures),
        "municipalities": "、".join(name for _, name in profile.municipalities),
        "professions": "、".join(names),
        "profession_note": profile.profession_note,
        "core_role": profile.core_role,
        "capacity": _("1年度に%(n)dチームまで") % {"n": profile.capacity},
        "load": _("%(fy)sは%(n)dチームに参加") % {"fy": format_fiscal_year(fiscal_year), "n": profile.load},
        "room": _("あと%(n)dチーム受けられます") % {"n": left}
        if left > 0
        else _("受け入れ可能数に達しています"),
        "full": left <= 0,
        "unavailable": [period(start, end) for start, end in profile.unavailable if end >= today],
        "experience": [f"{s.municipality}・{format_fiscal_year(s.fiscal_year)}" for s in profile.experience],
    }
