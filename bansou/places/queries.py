"""Reading the 市町村 list: the search behind the picker page."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from bansou.domain.kana import to_katakana_key
from bansou.places.models import Municipality, Prefecture

_SPACES = re.compile(r"\s+")
_CODE_PREFIX = re.compile(r"[0-9]{2,6}")
# How a municipality's reading ends after its name: 区, 市, 町 (まち・ちょう), 村 (むら・そん).
_KIND_READINGS = ("ク", "シ", "マチ", "チョウ", "ムラ", "ソン")


def prefecture_choices() -> list[tuple[str, str]]:
    """(都道府県コード, 都道府県名) of the 47, in code order."""
    return list(Prefecture.objects.order_by("code").values_list("code", "name"))


def _tier() -> Case:
    """特別区 and 市 first (0), then the wards of a 政令指定都市 (1), then 町 and 村 (2)."""
    kinds = Municipality.Kind
    return Case(
        When(kind__in=[kinds.SPECIAL_WARD, kinds.DESIGNATED_CITY], then=Value(0)),
        When(kind=kinds.WARD, then=Value(1)),
        When(name__endswith="市", then=Value(0)),
        default=Value(2),
        output_field=IntegerField(),
    )


def ranks_by_closeness(text: str) -> bool:
    """Whether :func:`search_municipalities` orders the rows for ``text`` by closeness (a name or reading)."""
    compact = _SPACES.sub("", text)
    return bool(compact) and not _CODE_PREFIX.fullmatch(unicodedata.normalize("NFKC", compact))


def search_municipalities(*, prefecture: str = "", text: str = "") -> QuerySet[Municipality]:
    """Active municipalities, narrowed by 都道府県 and by one text, the likeliest first.

    The text is either 2 to 6 digits (full-width too), a prefix of the 団体コード (code order), or else
    matched against the name (contains) and the reading (prefix; hiragana, katakana or half-width
    katakana, spaces ignored). Name matches come in this order: the exact name or reading (「ちよだ」 is
    千代田区 and 千代田町, the reading without its 区・市・町・村), then 特別区 and 市 before the wards of a
    政令指定都市 and before 町 and 村, then by 団体コード.
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
    exact = Q(name=compact) | Q(name=folded)
    if kana := to_katakana_key(compact):
        match |= Q(kana__startswith=kana)
        exact |= Q(kana=kana) | Q(kana__in=[kana + ending for ending in _KIND_READINGS])
    names = [name + ending for name in {compact, folded} for ending in "区市町村"]
    exact |= Q(name__in=names)
    closeness = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    ranked = found.filter(match).annotate(closeness=closeness, tier=_tier())
    return ranked.order_by("closeness", "tier", "lgcode")
