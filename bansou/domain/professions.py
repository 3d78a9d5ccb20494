"""The professions and fields a supporter may name in their profile (支援者プロフィール), in the order
they are offered. Codes are stored; the names are shown. Anything else goes in the free text."""

from __future__ import annotations

from collections.abc import Iterable

PROFESSIONS: tuple[tuple[str, str], ...] = (
    ("public_health_nurse", "保健師"),
    ("nurse", "看護師"),
    ("physical_therapist", "理学療法士"),
    ("occupational_therapist", "作業療法士"),
    ("speech_therapist", "言語聴覚士"),
    ("dietitian", "管理栄養士"),
    ("dental_hygienist", "歯科衛生士"),
    ("social_worker", "社会福祉士"),
    ("care_manager", "介護支援専門員"),
    ("life_support_coordinator", "生活支援コーディネーター"),
    ("researcher", "研究者"),
    ("consultant", "コンサルタント"),
    ("administration", "行政経験"),
)
PROFESSION_CODES = frozenset(code for code, _ in PROFESSIONS)


def profession_names(codes: Iterable[str]) -> list[str]:
    """The names of profession codes, in the offered order (a code no longer offered as it is, last)."""
    chosen = set(codes)
    known = [name for code, name in PROFESSIONS if code in chosen]
    return known + sorted(chosen - PROFESSION_CODES)
