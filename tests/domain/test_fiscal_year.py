"""年度: the fiscal year runs from April to March and is written 「令和7年度（2025年度）」."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.fiscal_year import era_name, fiscal_year_of, format_fiscal_year

PROPERTY = settings(database=None, max_examples=200, deadline=None)


def test_march_31_belongs_to_the_fiscal_year_that_began_the_april_before() -> None:
    assert fiscal_year_of(date(2026, 3, 31)) == 2025


def test_april_1_begins_a_new_fiscal_year() -> None:
    assert fiscal_year_of(date(2026, 4, 1)) == 2026


def test_january_belongs_to_the_previous_calendar_years_fiscal_year() -> None:
    assert fiscal_year_of(date(2025, 1, 1)) == 2024


def test_december_belongs_to_its_own_calendar_years_fiscal_year() -> None:
    assert fiscal_year_of(date(2025, 12, 31)) == 2025


@PROPERTY
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_falls_between_the_april_1_that_begins_its_fiscal_year_and_the_next(day: date) -> None:
    year = fiscal_year_of(day)
    assert date(year, 4, 1) <= day < date(year + 1, 4, 1)


@PROPERTY
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 30)))
def test_the_fiscal_year_changes_from_one_day_to_the_next_only_on_april_1(day: date) -> None:
    following = day + timedelta(days=1)
    changes = fiscal_year_of(following) != fiscal_year_of(day)
    assert changes is ((following.month, following.day) == (4, 1))


def test_format_fiscal_year_writes_the_era_then_the_western_year_in_full_width_brackets() -> None:
    assert format_fiscal_year(2025) == "令和7年度（2025年度）"
    assert "(" not in format_fiscal_year(2025)


@pytest.mark.parametrize(
    ("fiscal_year", "written"),
    [
        (2019, "令和元年度（2019年度）"),
        (2020, "令和2年度（2020年度）"),
        (2018, "平成30年度（2018年度）"),
        (1989, "平成元年度（1989年度）"),
        (1990, "平成2年度（1990年度）"),
        (1988, "昭和63年度（1988年度）"),
    ],
)
def test_format_fiscal_year_counts_era_years_from_reiwa_2019_heisei_1989_and_showa(
    fiscal_year: int, written: str
) -> None:
    assert format_fiscal_year(fiscal_year) == written


def test_the_first_year_of_an_era_is_written_gannen_not_one() -> None:
    assert era_name(2019) == "令和元年度"
    assert era_name(1989) == "平成元年度"
    assert "1年度" not in format_fiscal_year(2019).split("（")[0]


def test_fiscal_year_of_a_day_in_april_2019_is_reiwa_gannen_though_the_era_began_in_may() -> None:
    assert format_fiscal_year(fiscal_year_of(date(2019, 4, 1))) == "令和元年度（2019年度）"


def test_fiscal_year_of_march_2019_is_heisei_30() -> None:
    assert format_fiscal_year(fiscal_year_of(date(2019, 3, 31))) == "平成30年度（2018年度）"
