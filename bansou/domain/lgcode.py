"""全国地方公共団体コード: five digits and a check digit (JIS X 0401 / X 0402, 総務省).

The check digit: the five digits weighted 6, 5, 4, 3, 2 and summed; the sum's remainder mod 11 is r;
the check digit is the last digit of 11 - r, i.e. (11 - r) mod 10. The first two digits are the
都道府県 (01 北海道 … 47 沖縄県); a 都道府県 itself is ``PP000`` with its check digit (北海道 010006).
"""

from __future__ import annotations

_WEIGHTS = (6, 5, 4, 3, 2)
_ASCII_DIGITS = frozenset("0123456789")


def _is_digits(text: str, length: int) -> bool:
    # str.isdigit() also accepts full-width and superscript digits; a code is ASCII digits only.
    return len(text) == length and set(text) <= _ASCII_DIGITS


def check_digit(five: str) -> str:
    """The check digit of the five-digit code ``five``."""
    if not _is_digits(five, 5):
        raise ValueError(f"団体コードの上5桁は半角数字5桁です: {five!r}")
    remainder = sum(int(digit) * weight for digit, weight in zip(five, _WEIGHTS, strict=True)) % 11
    return str((11 - remainder) % 10)


def with_check_digit(five: str) -> str:
    """The six-digit code: ``five`` followed by its check digit ("13101" → "131016")."""
    return five + check_digit(five)


def is_valid_lgcode(code: str) -> bool:
    """Six ASCII digits whose last is the check digit of the first five (not whether the code exists)."""
    return _is_digits(code, 6) and check_digit(code[:5]) == code[5]


def prefecture_code(code: str) -> str:
    """The 都道府県コード ("01".."47") of a five- or six-digit code ("131016" → "13")."""
    if not (_is_digits(code, 5) or _is_digits(code, 6)):
        raise ValueError(f"団体コードは半角数字5桁または6桁です: {code!r}")
    return code[:2]


def prefecture_lgcode(prefecture: str) -> str:
    """The six-digit code of the 都道府県 itself ("13" → "130001")."""
    if not _is_digits(prefecture, 2):
        raise ValueError(f"都道府県コードは半角数字2桁です: {prefecture!r}")
    return with_check_digit(prefecture + "000")


def is_prefecture_lgcode(code: str) -> bool:
    """Whether ``code`` names a 都道府県 rather than a 市区町村 ("010006")."""
    return is_valid_lgcode(code) and code[2:5] == "000"
