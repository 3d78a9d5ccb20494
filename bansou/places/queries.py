"""Reading the 市町村 list: the search behind the picker page."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q, QuerySet

from bansou.domain.kana import to_katakana_key
from bansou.places.models import Municipality, Prefecture

_SPACES = re.compile(r"\s+")
_CODE_PREFIX = re.compile(r"[0-9]{2,6}")


def prefecture_choices() -> list[tuple[str, str]]:
    """(都道府県コード, 都道府県名) of the 47, in code order."""
    return list(Prefecture.objects.order_by("code").values_list("code", "name"))


def search_municipalities(*, prefecture: str = "", text: str = "") -> QuerySet[Municipality]:
    """Active municipalities in code order, narrowed by 都道府県 and by one text.

    The text is either 2 to 6 digits (full-width too), a prefix of the 団体コード, or else matched against
    the name (contains) and the reading (prefix; hiragana, katakana or half-width katakana, spaces ignored).
    """
    found = Municipality.objects.filter(active=True).select_related("prefecture").order_by("lgcode")
    if prefecture:
        found = found.filter(prefecture_id=prefecture)
    compact = _SPACES.sub("", text)
    if not compact:
        return found
    folded = unicodedata.normalize("NFKC", compact)
    if _CODE_PREFIX.fullmatch(folded):
        return found.filter(lgcode__startswith=folded)
    match = Q(name__contains=compact) | Q(name__contains=folded)
    if kana := to_katakana_key(compact):
        match |= Q(kana__startswith=kana)
    return found.filter(match)
