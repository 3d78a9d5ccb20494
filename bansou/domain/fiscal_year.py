"""年度 (the Japanese fiscal year, April to March) and how it is written: 「令和7年度（2025年度）」."""

from __future__ import annotations

from datetime import date

# First fiscal year of each era, newest first. 令和 began on 2019-05-01; the fiscal year that
# began in April 2019 is called 令和元年度 by convention (平成31年度 only for its first month).
_ERAS: tuple[tuple[str, int], ...] = (("令和", 2019), ("平成", 1989), ("昭和", 1926))


def fiscal_year_of(day: date) -> int:
    """The fiscal year ``day`` falls in, named by the calendar year in which it began."""
    return day.year if day.month >= 4 else day.year - 1


def era_name(fiscal_year: int) -> str:
    """「令和7年度」 for 2025, 「令和元年度」 for 2019."""
    for era, first in _ERAS:
        if fiscal_year >= first:
            number = fiscal_year - first + 1
            return f"{era}{'元' if number == 1 else number}年度"
    return f"{fiscal_year}年度"


def format_fiscal_year(fiscal_year: int) -> str:
    """「令和7年度（2025年度）」: the era name first, the Western year in full-width brackets."""
    return f"{era_name(fiscal_year)}（{fiscal_year}年度）"
