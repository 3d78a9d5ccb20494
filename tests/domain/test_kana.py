"""フリガナ: hiragana and half-width katakana are stored as full-width katakana."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.kana import is_katakana_name, to_katakana

PROPERTY = settings(database=None, max_examples=200, deadline=None)

HIRAGANA = [chr(c) for c in range(0x3041, 0x3097)]
FULL_WIDTH_KATAKANA_NAME = st.text(
    alphabet=[*(chr(c) for c in range(0x30A1, 0x30FB)), "ー", " ", "\u3000"], min_size=1
).filter(lambda text: text.strip())


def test_hiragana_becomes_katakana() -> None:
    assert to_katakana("ばんそう はなこ") == "バンソウ ハナコ"


def test_half_width_katakana_becomes_full_width() -> None:
    assert to_katakana("ﾊﾞﾝｿｳ ﾊﾅｺ") == "バンソウ ハナコ"


@pytest.mark.parametrize(
    ("half_width", "full_width"),
    [("ｶﾞ", "ガ"), ("ﾊﾟ", "パ"), ("ﾎﾟ", "ポ"), ("ｻﾞ", "ザ"), ("ｳﾞ", "ヴ"), ("ｯ", "ッ"), ("ｧ", "ァ")],
)
def test_half_width_voiced_marks_join_their_letter_into_one_full_width_letter(
    half_width: str, full_width: str
) -> None:
    converted = to_katakana(half_width)
    assert converted == full_width
    assert len(converted) == 1


def test_long_vowel_mark_is_kept_and_its_half_width_form_widened() -> None:
    assert to_katakana("らーめん") == "ラーメン"
    assert to_katakana("ｺｰﾋｰ") == "コーヒー"


def test_spaces_between_names_are_kept_and_surrounding_ones_dropped() -> None:
    assert to_katakana("  はなこ ばんそう ") == "ハナコ バンソウ"
    assert to_katakana("はなこ\u3000ばんそう") == "ハナコ\u3000バンソウ"


def test_half_width_middle_dot_becomes_full_width() -> None:
    assert to_katakana("ﾊﾅｺ･ﾊﾞﾝｿｳ") == "ハナコ・バンソウ"


def test_full_width_katakana_is_left_as_it_is() -> None:
    assert to_katakana("バンソウ ハナコ") == "バンソウ ハナコ"


def test_mixed_hiragana_and_half_width_katakana_become_one_full_width_name() -> None:
    assert to_katakana("ばんｿｳ はﾅこ") == "バンソウ ハナコ"


def test_latin_letters_digits_and_kanji_are_not_touched() -> None:
    # Only kana are converted: full-width latin is not narrowed, so the name check can refuse it.
    assert to_katakana("ＡＢＣ abc １ 伴走") == "ＡＢＣ abc １ 伴走"


@PROPERTY
@given(st.sampled_from(HIRAGANA))
def test_every_hiragana_letter_becomes_the_katakana_letter_of_the_same_sound(letter: str) -> None:
    converted = to_katakana(letter)
    assert converted == chr(ord(letter) + 0x60)
    assert is_katakana_name(converted)


@PROPERTY
@given(st.text(alphabet=[*HIRAGANA, "ー", " "]).filter(lambda text: any(ch in HIRAGANA for ch in text)))
def test_any_hiragana_name_becomes_a_katakana_name(text: str) -> None:
    assert is_katakana_name(to_katakana(text))


@PROPERTY
@given(FULL_WIDTH_KATAKANA_NAME)
def test_converting_full_width_katakana_changes_nothing_but_surrounding_spaces(text: str) -> None:
    assert to_katakana(text) == text.strip()
    assert to_katakana(to_katakana(text)) == to_katakana(text)


@pytest.mark.parametrize("name", ["バンソウ ハナコ", "バンソウ\u3000ハナコ", "ヴァン・ソウ", "コーヒー"])
def test_is_katakana_name_accepts_full_width_katakana_with_long_vowel_dot_and_spaces(name: str) -> None:
    assert is_katakana_name(name)


@pytest.mark.parametrize(
    "name",
    ["Bansou Hanako", "伴走 花子", "ばんそう はなこ", "ﾊﾞﾝｿｳ ﾊﾅｺ", "バンソウ1", "バンソウ ﾊﾅｺ", ""],
)
def test_is_katakana_name_refuses_latin_kanji_hiragana_half_width_digits_and_empty(name: str) -> None:
    assert not is_katakana_name(name)


@pytest.mark.parametrize("text", ["　", " ", "ー", "・・"])
def test_a_name_without_any_kana_letter_is_not_a_furigana(text: str) -> None:
    assert not is_katakana_name(text)


def test_a_hiragana_with_a_combining_voiced_mark_becomes_one_katakana() -> None:
    assert to_katakana("わ\u3099") == "ヷ"
