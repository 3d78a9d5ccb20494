"""The roles of the glossary (PRODUCT.md), in the order they are offered."""

from __future__ import annotations

from collections.abc import Iterable

ROLES: tuple[tuple[str, str], ...] = (
    ("core_promoter", "中核推進役"),
    ("coordinator", "調整役"),
    ("advisor", "アドバイザー"),
    ("prefecture_staff", "都道府県職員"),
    ("municipal_staff", "市町村職員"),
    ("other", "その他"),
)
ROLE_CODES = frozenset(code for code, _ in ROLES)


def role_names(codes: Iterable[str]) -> list[str]:
    """The names of role codes, in their order (a code no longer offered as it is)."""
    names = dict(ROLES)
    return [names.get(code, code) for code in codes]
