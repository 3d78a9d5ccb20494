"""What profiles holds about a person: their supporter profile (支援者プロフィール), which goes with the
account."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bansou.domain.personal_data import Declaration, Keyed, Person, Row, Section, Sheet, SheetRows
from bansou.domain.professions import profession_names
from bansou.domain.reports import Column
from bansou.profiles.queries import profile_of

PROFILE = Sheet("支援者プロフィール", (Column("field", "項目"), Column("value", "内容")), position=350)


def _profile(person: Person) -> dict[str, Any] | None:
    profile = profile_of(person.pk)
    if profile is None:
        return None
    return {
        "prefectures": [p.name for p in profile.prefectures.all()],
        "municipalities": [{"code": m.lgcode, "name": str(m)} for m in profile.municipalities.all()],
        "professions": list(profile.professions),
        "profession_names": profession_names(profile.professions),
        "profession_note": profile.profession_note,
        "core_role": profile.core_role,
        "capacity": profile.capacity,
        "unavailable": [
            {"start": p.start.isoformat(), "end": p.end.isoformat()} for p in profile.unavailable.all()
        ],
    }


def _rows(person: Person, profile: dict[str, Any] | None) -> Iterable[Row]:
    if profile is None:
        return []
    return [
        ("対応できる都道府県", "、".join(profile["prefectures"])),
        ("対応できる市町村", "、".join(f"{m['name']}（{m['code']}）" for m in profile["municipalities"])),
        ("職種・分野", "、".join(profile["profession_names"])),
        ("そのほかの専門・得意分野", profile["profession_note"]),
        ("中核推進役・調整役を担える", "はい" if profile["core_role"] else "いいえ"),
        ("1年度に受けられるチームの数", profile["capacity"]),
        *(("対応できない期間", f"{p['start']}〜{p['end']}") for p in profile["unavailable"]),
    ]


def declare() -> Declaration:
    return Declaration(
        sections=(Section("supporter_profile", 150, _profile, sheets=(SheetRows(PROFILE, 10, _rows),)),),
        keyed=(
            Keyed("profiles.SupporterProfile", "user", "professions, core role, capacity"),
            Keyed(
                "profiles.SupporterProfile_prefectures", "supporterprofile__user", "prefectures they serve"
            ),
            Keyed("profiles.SupporterProfile_municipalities", "supporterprofile__user", "市町村 they serve"),
            Keyed("profiles.Unavailability", "profile__user", "periods they are unavailable"),
        ),
    )
