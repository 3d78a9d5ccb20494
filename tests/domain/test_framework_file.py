"""The framework file loader refuses broken files with a message that names the file and the entry.

Broken variants are made by editing the shipped leaflet file's text (each edit must match exactly
once, so a stale edit fails loudly instead of testing nothing) or from a small inline file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bansou.domain.framework import Framework
from bansou.domain.framework_file import (
    FrameworkFileError,
    LoadedFramework,
    parse_framework,
    read_framework_file,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
LEAFLET_DATA = REPO_ROOT / "bansou" / "frameworks" / "data" / "leaflet-2025.toml"
SOURCE = "leaflet-2025.toml"

MINIMAL = """
[framework]
slug = "mini"
version = "1"
title = "最小"
source = "テスト"

[scale]
positive_from = 1
levels = [{ value = 0, label = "いいえ" }, { value = 1, label = "はい" }]

[[axes]]
code = "understanding"
label = "理解"
question = "理解しているか"

[[axes]]
code = "practice"
label = "実践"
question = "実践できているか"

[[tiers]]
code = "A"
name = "基礎"

[[powers]]
number = 1
name = "力"

[[elements]]
number = 1
name = "要素"
power = 1
tier = "A"

[[competencies]]
tier = "A"
power = 1
label = "要素"
element = 1

[[sheets]]
code = "s"
title = "シート"

[[sheets.sections]]
title = "節"
element = 1
headings = []

[[sheets.sections.items]]
code = "i1"
name = "項目"
"""


def leaflet_text() -> str:
    return LEAFLET_DATA.read_text(encoding="utf-8")


def edited(old: str, new: str, text: str | None = None) -> str:
    text = leaflet_text() if text is None else text
    assert text.count(old) == 1, f"edit does not match exactly once: {old!r}"
    return text.replace(old, new)


def parse(text: str, source: str = SOURCE) -> LoadedFramework:
    return parse_framework(text.encode("utf-8"), source=source)


def error_of(text: str, source: str = SOURCE) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as caught:
        parse(text, source)
    return caught.value


def assert_names(error: FrameworkFileError, source: str, where: str) -> None:
    """The message starts with the file and contains the entry."""
    message = str(error)
    assert error.source == source
    assert message.startswith(f"{source}: ")
    assert where in error.where
    assert where in message


# -- baseline ----------------------------------------------------------------------------------


def test_unedited_leaflet_text_and_minimal_file_both_load() -> None:
    assert isinstance(parse(leaflet_text()).framework, Framework)
    assert parse(MINIMAL, "x.toml").framework.slug == "mini"


def test_framework_file_error_is_a_value_error_with_source_where_and_reason() -> None:
    error = error_of(edited('slug = "mini"\n', "", MINIMAL), "x.toml")
    assert isinstance(error, ValueError)
    assert (error.source, error.where) == ("x.toml", "[framework]")
    assert "slug" in error.reason
    assert str(error) == f"x.toml: [framework]: {error.reason}"


# -- reading the bytes -------------------------------------------------------------------------


def test_invalid_toml_is_refused_naming_the_file() -> None:
    error = error_of(edited("[scale]", "[scale", MINIMAL), "x.toml")
    assert str(error).startswith("x.toml: ")
    assert "TOML として読めません" in str(error)


def test_non_utf8_bytes_are_refused_naming_the_file() -> None:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(MINIMAL.encode("shift_jis"), source="sjis.toml")
    assert str(caught.value).startswith("sjis.toml: ")
    assert "UTF-8 ではありません" in str(caught.value)


def test_a_file_that_does_not_exist_is_refused_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkFileError) as caught:
        read_framework_file(tmp_path / "missing.toml")
    assert caught.value.source == "missing.toml"
    assert str(caught.value).startswith("missing.toml: ")
    assert "読み込めません" in str(caught.value)


# -- keys --------------------------------------------------------------------------------------


def test_unknown_key_is_refused_naming_the_table_and_the_key() -> None:
    error = error_of(edited('slug = "leaflet"\n', 'slug = "leaflet"\nslogan = "x"\n'))
    assert_names(error, SOURCE, "[framework]")
    assert "slogan" in str(error)


def test_unknown_key_in_an_item_is_refused_naming_the_item() -> None:
    error = error_of(edited('code = "6-3"\n', 'code = "6-3"\ncolour = "red"\n'))
    assert_names(error, SOURCE, "sheets[0].sections[2].items[2]")
    assert "colour" in str(error)


def test_unknown_top_level_table_is_refused_naming_the_key() -> None:
    error = error_of(MINIMAL + '\n[extras]\nnote = "x"\n', "x.toml")
    assert str(error).startswith("x.toml: ")
    assert "extras" in str(error)


def test_missing_key_is_refused_naming_the_table_and_the_key() -> None:
    error = error_of(edited('version = "2025.1"\n', ""))
    assert_names(error, SOURCE, "[framework]")
    assert "version" in str(error)


def test_missing_item_name_is_refused_naming_the_item() -> None:
    error = error_of(edited('name = "資源活用能力"\n', ""))
    assert_names(error, SOURCE, "sheets[0].sections[1].items[3]")
    assert "name" in str(error)


def test_empty_title_is_refused_naming_the_key() -> None:
    error = error_of(edited('title = "伴走支援に必要な力 (エレメント)"', 'title = " "'))
    assert_names(error, SOURCE, "[framework]")
    assert "「title」" in str(error)


# -- codes and references ----------------------------------------------------------------------


def test_duplicate_item_code_is_refused_naming_the_code() -> None:
    error = error_of(edited('code = "3-2"\n', 'code = "2-1"\n'))
    assert_names(error, SOURCE, "sheets[0].sections[1].items[1]")
    assert "「2-1」が重複" in str(error)


def test_item_code_repeated_in_another_sheet_is_refused() -> None:
    error = error_of(edited('code = "A-1"\n', 'code = "9-10"\n'))
    assert_names(error, SOURCE, "sheets[1].sections[0].items[0]")
    assert "「9-10」" in str(error)


def test_element_referring_to_an_unknown_power_is_refused() -> None:
    error = error_of(
        edited('name = "主体性を引き出す力"\npower = 3\n', 'name = "主体性を引き出す力"\npower = 4\n')
    )
    assert_names(error, SOURCE, "elements[8]")
    assert "力 4" in str(error)


def test_element_referring_to_an_unknown_tier_is_refused() -> None:
    error = error_of(
        edited(
            'name = "データ活用力"\npower = 2\ntier = "C"\n', 'name = "データ活用力"\npower = 2\ntier = "D"\n'
        )
    )
    assert_names(error, SOURCE, "elements[3]")
    assert "「D」" in str(error)


def test_item_referring_to_an_unknown_element_is_refused() -> None:
    error = error_of(edited('description = ""\nelement = 8\n', 'description = ""\nelement = 12\n'))
    assert_names(error, SOURCE, "sheets[1].sections[1].items[7]")
    assert "C-8" in str(error)
    assert "エレメント 12" in str(error)


def test_section_referring_to_an_unknown_element_is_refused() -> None:
    error = error_of(edited("element = 7\nheadings", "element = 70\nheadings"))
    assert_names(error, SOURCE, "sheets[0].sections[3]")
    assert "エレメント 70" in str(error)


def test_item_whose_power_contradicts_its_element_is_refused() -> None:
    error = error_of(
        edited('description = ""\nelement = 8\npower = 3\n', 'description = ""\nelement = 8\npower = 2\n')
    )
    assert_names(error, SOURCE, "sheets[1].sections[1].items[7]")
    assert "エレメント 8" in str(error)


def test_item_without_element_or_tier_and_power_is_refused() -> None:
    error = error_of(edited("element = 1\nheadings = []\n", "headings = []\n", MINIMAL), "x.toml")
    assert_names(error, "x.toml", "sheets[0].sections[0].items[0]")
    assert "「element」" in str(error)


# -- scale -------------------------------------------------------------------------------------

LEVELS = 'levels = [{ value = 0, label = "いいえ" }, { value = 1, label = "はい" }]'


def test_scale_with_one_level_is_refused() -> None:
    error = error_of(edited(LEVELS, 'levels = [{ value = 1, label = "はい" }]'))
    assert_names(error, SOURCE, "[scale]")
    assert "2つ以上" in str(error)


def test_scale_with_unsorted_values_is_refused() -> None:
    error = error_of(
        edited(LEVELS, 'levels = [{ value = 1, label = "はい" }, { value = 0, label = "いいえ" }]')
    )
    assert_names(error, SOURCE, "[scale]")
    assert "小さい順" in str(error)


def test_scale_with_repeated_values_is_refused() -> None:
    error = error_of(
        edited(LEVELS, 'levels = [{ value = 1, label = "いいえ" }, { value = 1, label = "はい" }]')
    )
    assert_names(error, SOURCE, "[scale]")


def test_scale_positive_from_equal_to_the_lowest_value_is_refused() -> None:
    error = error_of(edited("positive_from = 1\n", "positive_from = 0\n"))
    assert_names(error, SOURCE, "[scale]")
    assert "positive_from" in str(error)


def test_scale_positive_from_outside_the_levels_is_refused() -> None:
    error = error_of(edited("positive_from = 1\n", "positive_from = 5\n"))
    assert_names(error, SOURCE, "[scale]")


def test_scale_level_without_label_is_refused_naming_the_level() -> None:
    error = error_of(edited(LEVELS, 'levels = [{ value = 0, label = "いいえ" }, { value = 1 }]'))
    assert_names(error, SOURCE, "scale.levels[1]")
    assert "label" in str(error)


# -- axes and elements -------------------------------------------------------------------------

PRACTICE_AXIS = '[[axes]]\ncode = "practice"\nlabel = "実践"\nquestion = "推進・実践できているか"\n\n'


def test_missing_axis_is_refused() -> None:
    error = error_of(edited(PRACTICE_AXIS, ""))
    assert_names(error, SOURCE, "axes")
    assert "practice" in str(error)


def test_unknown_axis_is_refused_naming_the_axis() -> None:
    error = error_of(edited('code = "practice"\n', 'code = "feeling"\n'))
    assert_names(error, SOURCE, "axes[1]")
    assert "feeling" in str(error)


def test_duplicate_axis_is_refused() -> None:
    error = error_of(edited(PRACTICE_AXIS, PRACTICE_AXIS + PRACTICE_AXIS))
    assert_names(error, SOURCE, "axes[2]")


def test_element_with_no_items_is_refused_naming_the_element() -> None:
    extra = '[[elements]]\nnumber = 10\nname = "追加"\npower = 1\ntier = "A"\n\n'
    text = leaflet_text()
    position = text.index("[[competencies]]")
    error = error_of(text[:position] + extra + text[position:])
    assert_names(error, SOURCE, "エレメント 10")
    assert "項目がありません" in str(error)


def test_element_whose_only_section_is_removed_is_refused() -> None:
    text = leaflet_text()
    start = text.index('[[sheets.sections]]\ntitle = "主体性を引き出す力"')
    end = text.index("# リーフレットの表から作成したシート")
    error = error_of(text[:start] + text[end:])
    assert_names(error, SOURCE, "エレメント 9")


def test_duplicate_element_number_is_refused() -> None:
    error = error_of(edited("number = 5\n", "number = 4\n"))
    assert_names(error, SOURCE, "elements[4]")


def test_duplicate_sheet_code_is_refused() -> None:
    error = error_of(edited('code = "labels"\n', 'code = "checklist"\n'))
    assert_names(error, SOURCE, "sheets[1]")
    assert "checklist" in str(error)


def test_derived_that_is_not_a_boolean_is_refused() -> None:
    error = error_of(edited("derived = true\n", 'derived = "yes"\n'))
    assert_names(error, SOURCE, "sheets[1]")
    assert "derived" in str(error)


# -- idempotence -------------------------------------------------------------------------------


def test_parsing_the_same_bytes_twice_gives_equal_frameworks_and_digests() -> None:
    raw = LEAFLET_DATA.read_bytes()
    first = parse_framework(raw, source=SOURCE)
    second = parse_framework(raw, source=SOURCE)
    assert first == second
    assert first.framework == second.framework
    assert first.digest == second.digest == hashlib.sha256(raw).hexdigest()


def test_reading_the_file_equals_parsing_its_bytes() -> None:
    assert read_framework_file(LEAFLET_DATA) == parse_framework(LEAFLET_DATA.read_bytes(), source=SOURCE)


def test_changing_one_character_changes_the_digest() -> None:
    original = parse(leaflet_text())
    changed = parse(edited('version = "2025.1"', 'version = "2025.2"'))
    assert original.digest != changed.digest
    assert changed.framework.version == "2025.2"
