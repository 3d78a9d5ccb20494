"""全国地方公共団体コード: weights 6,5,4,3,2, remainder mod 11, the last digit of 11 minus it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.kana import to_katakana_key
from bansou.domain.lgcode import (
    check_digit,
    is_prefecture_lgcode,
    is_valid_lgcode,
    prefecture_code,
    prefecture_lgcode,
    with_check_digit,
)

PROPERTY = settings(database=None, max_examples=300, deadline=None)
DATA = Path(__file__).resolve().parents[2] / "bansou" / "places" / "data"
FIVE_DIGITS = st.text(alphabet="0123456789", min_size=5, max_size=5)


def bundled_codes() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with (DATA / "localgovjp-utf8.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows += [(row["lgcode"], row["city"]) for row in csv.DictReader(handle)]
    with (DATA / "prefjp-utf8.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows += [(row["lgcode"].zfill(6), row["pref"]) for row in csv.DictReader(handle)]
    return rows


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("131016", "千代田区"),
        ("011002", "札幌市"),
        ("011011", "札幌市中央区"),
        ("271004", "大阪市"),
        ("472018", "那覇市"),
        ("010006", "北海道"),
        ("130001", "東京都"),
    ],
)
def test_known_codes_are_valid(code: str, name: str) -> None:
    assert is_valid_lgcode(code), name
    assert with_check_digit(code[:5]) == code


def test_the_check_digit_is_the_last_digit_of_eleven_minus_the_remainder() -> None:
    # 13101: 1*6 + 3*5 + 1*4 + 0*3 + 1*2 = 27; 27 mod 11 = 5; 11 - 5 = 6.
    assert check_digit("13101") == "6"
    # 01100: 0 + 5 + 4 + 0 + 0 = 9; 11 - 9 = 2.
    assert check_digit("01100") == "2"
    # A remainder of 1 gives 10, whose last digit is 0; a remainder of 0 gives 11, so 1.
    assert check_digit("01110") == "0"  # 5 + 4 + 3 = 12; 12 mod 11 = 1
    assert check_digit("00000") == "1"


def test_every_bundled_code_has_a_valid_check_digit() -> None:
    codes = bundled_codes()

    assert len(codes) == 1916 + 47
    assert [(code, name) for code, name in codes if not is_valid_lgcode(code)] == []


@pytest.mark.parametrize(
    "code", ["131017", "13101", "1310166", "", "13101a", "１３１０１６", "131016 ", "０11002"]
)
def test_a_wrong_check_digit_or_form_is_invalid(code: str) -> None:
    assert not is_valid_lgcode(code)


@PROPERTY
@given(FIVE_DIGITS)
def test_exactly_one_check_digit_is_valid_for_any_five_digits(five: str) -> None:
    valid = [digit for digit in "0123456789" if is_valid_lgcode(five + digit)]

    assert valid == [check_digit(five)]
    assert with_check_digit(five) == five + valid[0]


def test_the_prefecture_of_a_code_is_its_first_two_digits() -> None:
    assert prefecture_code("131016") == "13"
    assert prefecture_code("01100") == "01"
    assert prefecture_lgcode("13") == "130001"
    assert prefecture_lgcode("01") == "010006"
    assert is_prefecture_lgcode("470007")
    assert not is_prefecture_lgcode("472018")


@pytest.mark.parametrize("bad", ["1", "1310", "abcdef", "1234567"])
def test_the_prefecture_of_a_malformed_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="団体コード"):
        prefecture_code(bad)


def test_a_reading_key_is_katakana_without_spaces() -> None:
    assert to_katakana_key("さっぽろし ちゅうおうく") == "サッポロシチュウオウク"
    assert to_katakana_key("ｻｯﾎﾟﾛｼ\u3000ﾁｭｳｵｳｸ") == "サッポロシチュウオウク"
    assert to_katakana_key("  ") == ""
