"""フリガナ: stored in full-width katakana; hiragana and half-width katakana are turned into it."""

from __future__ import annotations

import re
import unicodedata

_HIRAGANA = re.compile("[\u3041-\u3096]")
# Full-width katakana, the long vowel mark, the middle dot and spaces (full-width or not).
_KATAKANA_NAME = re.compile("^[\u30a1-\u30fa\u30fc\u30fb\u3000 ]+$")


def to_katakana(text: str) -> str:
    """Half-width katakana to full-width (NFKC only touches kana here), hiragana to katakana."""
    text = "".join(unicodedata.normalize("NFKC", ch) if "\uff61" <= ch <= "\uff9f" else ch for ch in text)
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", text).strip()


def is_katakana_name(text: str) -> bool:
    """Katakana letters, with ー, ・ and spaces between them; at least one letter."""
    return bool(_KATAKANA_NAME.match(text)) and any("\u30a1" <= ch <= "\u30fa" for ch in text)


_SPACES = re.compile(r"\s+")


def to_katakana_key(text: str) -> str:
    """A reading to compare: full-width katakana without any space.

    「さっぽろし ちゅうおうく」→「サッポロシチュウオウク」.
    """
    return _SPACES.sub("", to_katakana(text))
