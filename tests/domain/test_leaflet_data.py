"""The shipped framework file holds the leaflet's words and structure, and nothing else.

Every label, item and sentence is compared with the leaflet's verbatim source, kept in the
repository beside the data it is the source of (``bansou/frameworks/data/source/``, where a README
says where it comes from). That file must be present: a missing source fails the tests rather than
skipping them. The expected lists below repeat the essentials, so the data is also held to the
leaflet by this file alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bansou.domain.framework import Framework, Sheet
from bansou.domain.framework_file import read_framework_file

REPO_ROOT = Path(__file__).resolve().parents[2]
LEAFLET_DATA = REPO_ROOT / "bansou" / "frameworks" / "data" / "leaflet-2025.toml"
LEAFLET_SOURCE = LEAFLET_DATA.parent / "source" / "leaflet-elements.ja.md"
FOUR_LEVEL_VARIANT = Path(__file__).resolve().parent / "data" / "four-level-variant.toml"

# The one correction made to the leaflet's text (U+6B65 in the leaflet, U+6B69 in the data).
WRONG_GLYPH = "次の一\u6b65"
FIXED_GLYPH = "次の一\u6b69"

POWERS = {1: "人に働きかける力", 2: "活動を適切に進める力", 3: "解決方向に向かう力"}

TIERS = {
    "A": "基礎知識・基礎スキル",
    "B": "中核推進役/調整役が特に備えるべき力",
    "C": "チーム全体で備えるべき力",
}

# (number, name, power, tier)
ELEMENTS = [
    (1, "伴走支援の基本姿勢", 1, "C"),
    (2, "関係性を整え、チームを前に進める力", 1, "B"),
    (3, "方向性を示し、人を巻き込む力", 1, "B"),
    (4, "データ活用力", 2, "C"),
    (5, "事例判断力", 2, "C"),
    (6, "状況判断力", 2, "B"),
    (7, "伴走型プロジェクト推進力", 2, "B"),
    (8, "解決策に関わる知識・ノウハウ", 3, "C"),
    (9, "主体性を引き出す力", 3, "B"),
]

# (tier, power, label, element) in the order of the leaflet's table.
COMPETENCIES = [
    ("A", 1, "伴走支援に関する基礎理解", None),
    ("A", 1, "住民福祉に携わる人材としての基本マインドセット", None),
    ("A", 1, "自己覚知", None),
    ("A", 2, "介護保険を取り巻く事柄の基礎理解", None),
    ("A", 2, "マネジメント基礎力", None),
    ("A", 3, "知識：各種事例", None),
    ("A", 3, "知識：各種専門領域", None),
    ("B", 1, "関係性を整え、チームを前に進める力", 2),
    ("B", 1, "方向性を示し、人を巻き込む力", 3),
    ("B", 2, "状況判断力", 6),
    ("B", 2, "伴走型プロジェクト推進力", 7),
    ("B", 3, "主体性を引き出す力", 9),
    ("C", 1, "伴走支援の基本姿勢", 1),
    ("C", 1, "チームで進めるための基礎的な理解", None),
    ("C", 1, "実践的な対人スキル", None),
    ("C", 1, "協働するスキル", None),
    ("C", 2, "データ活用力", 4),
    ("C", 2, "事例判断力", 5),
    ("C", 2, "プロジェクト推進力", None),
    ("C", 3, "解決策に関わる知識・ノウハウ", 8),
    ("C", 3, "伴走支援チームの役割理解", None),
]

# element -> column headings of its section in the check list
HEADINGS = {
    2: ("チーム力促進の要素", "説明"),
    3: ("伴走支援の推進要素", "説明"),
    6: ("伴走支援の推進要素", "説明"),
    7: ("リーダーの持つべき推進観点", "説明"),
    9: ("主体性を引き出す要素", "向上すべきポイント"),
}

# element -> (mark, name) of its items, in the leaflet's order
CHECKLIST = {
    2: [
        ("①", "チーム状況を見立てる力"),
        ("②", "対立に介入する力"),
        ("③", "協働を再設計する力"),
        ("④", "心理的安全性と挑戦を両立させる力"),
    ],
    3: [
        ("①", "関係者への働きかけ力"),
        ("②", "進行設計・進捗管理力"),
        ("③", "不安要因の感知・対応力"),
        ("④", "資源活用能力"),
        ("⑤", "公平・一貫を保つ力"),
    ],
    6: [
        ("①", "見立てを共有化する力"),
        ("②", "介入レベルを調整する力"),
        ("③", "多面的に捉える力 (視点の統合)"),
        ("④", "判断の安全性を担保する力"),
        ("⑤", "次の行動を決める力"),
    ],
    7: [
        ("①", "進め方を設計する力"),
        ("②", "優先順位を判断する力"),
        ("③", "進行を調整する力 (状況マネジメント)"),
        ("④", "外部を巻き込む力 (環境調整)"),
        ("⑤", "実践をノウハウに変える力"),
    ],
    9: [
        ("①", "傾聴・受容姿勢"),
        ("②", "関係性づくりの姿勢"),
        ("③", "主体性を引き出す関わり"),
        ("④", "課題把握・構造理解"),
        ("⑤", "状況に応じた対応力"),
        ("⑥", "共創的な提案・問いかけ"),
        ("⑦", "言葉のわかりやすさ・丁寧さ"),
        ("⑧", "支援範囲の適切さ"),
        ("⑨", "フィードバック・振り返り力"),
        ("⑩", "終始一貫した支援姿勢"),
    ],
}

SOME_DESCRIPTIONS = {
    "2-1": (
        "チームの関係性・役割・心理状態・成果の出方を俯瞰し、「今、何が起きているか」を構造的に捉える力。"
        "形成期・混乱期・安定期などの段階も踏まえて判断する。"
    ),
    "3-4": "人・時間・予算・情報など、限られた資源を最適に配分する力。",
    "6-5": "見立てを具体的な行動方針に落とし込み、役割分担と次の一歩を明確にする力。",
    "7-4": "関係機関・地域・専門職との連携を組み立て、支援が続く環境を整える力。",
    "9-10": "支援者として一貫した軸で関わる姿勢",
}

CAUTION = (
    "※本プロセスの進め方やスピード感には留意が必要です。"
    "あくまでも主役は市町村であることを忘れず、主体性を尊重した関わりを心がけましょう。"
)


@pytest.fixture(scope="module")
def framework() -> Framework:
    return read_framework_file(LEAFLET_DATA).framework


@pytest.fixture(scope="module")
def leaflet() -> str:
    """The leaflet's text with the one glyph fix applied, so data can be compared verbatim."""
    if not LEAFLET_SOURCE.is_file():
        pytest.fail(f"リーフレットの原文がありません: {LEAFLET_SOURCE}")
    return LEAFLET_SOURCE.read_text(encoding="utf-8").replace(WRONG_GLYPH, FIXED_GLYPH)


def leaflet_table_cell(leaflet: str, tier: str, power: int) -> list[str]:
    """The labels in one cell of the leaflet's tier x power table."""
    row = next(line for line in leaflet.splitlines() if line.startswith(f"<b>{tier}</b> "))
    return re.findall(r"<li>・(.*?)</li>", row.split("\t")[power])


def strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for entry in value:
            yield from strings_in(entry)


def sheet(framework: Framework, code: str) -> Sheet:
    return next(s for s in framework.sheets if s.code == code)


# -- the source itself -------------------------------------------------------------------------


def test_leaflet_source_is_present_in_the_repository() -> None:
    assert LEAFLET_SOURCE.is_file(), f"リーフレットの原文がありません: {LEAFLET_SOURCE}"


def test_framework_is_the_leaflet_version_2025_1(framework: Framework) -> None:
    assert framework.slug == "leaflet"
    assert framework.version == "2025.1"
    assert framework.title == "伴走支援に必要な力 (エレメント)"
    assert framework.source


# -- powers, tiers, elements, table ------------------------------------------------------------


def test_there_are_3_powers_with_the_leaflets_names(framework: Framework, leaflet: str) -> None:
    assert {p.number: p.name for p in framework.powers} == POWERS
    assert [p.number for p in framework.powers] == [1, 2, 3]
    for power in framework.powers:
        assert f"### {power.number} {power.name}" in leaflet


def test_there_are_3_tiers_with_the_names_of_the_table_rows(framework: Framework, leaflet: str) -> None:
    assert {t.code: t.name for t in framework.tiers} == TIERS
    assert [t.code for t in framework.tiers] == ["A", "B", "C"]
    for tier in framework.tiers:
        assert f"<b>{tier.code}</b> {tier.name}\t" in leaflet


def test_there_are_9_elements_with_names_powers_and_tiers(framework: Framework, leaflet: str) -> None:
    assert [(e.number, e.name, e.power, e.tier) for e in framework.elements] == ELEMENTS
    for element in framework.elements:
        assert f"- {element.number} {element.name}" in leaflet


def test_each_element_is_listed_under_its_power_in_the_leaflet(framework: Framework, leaflet: str) -> None:
    for power in framework.powers:
        block = leaflet.split(f"### {power.number} {power.name}", 1)[1].split("###", 1)[0]
        listed = re.findall(r"^- (\d) ", block, flags=re.MULTILINE)
        assert [int(n) for n in listed] == [e.number for e in framework.elements_of(power.number)]


def test_table_has_21_labels_7_in_a_5_in_b_9_in_c(framework: Framework) -> None:
    assert len(framework.competencies) == 21
    counts = {code: sum(1 for c in framework.competencies if c.tier == code) for code in TIERS}
    assert counts == {"A": 7, "B": 5, "C": 9}
    assert [(c.tier, c.power, c.label, c.element) for c in framework.competencies] == COMPETENCIES


def test_each_table_label_is_in_its_cell_of_the_leaflets_table(framework: Framework, leaflet: str) -> None:
    for tier in TIERS:
        for power in POWERS:
            labels = [c.label for c in framework.competencies_of(tier, power)]
            assert labels == leaflet_table_cell(leaflet, tier, power), (tier, power)


def test_labels_that_are_elements_carry_the_element_with_the_same_name(framework: Framework) -> None:
    linked = [c for c in framework.competencies if c.element is not None]
    assert sorted(c.element for c in linked) == list(range(1, 10))
    for competency in linked:
        element = framework.element(competency.element)
        assert (element.name, element.tier, element.power) == (
            competency.label,
            competency.tier,
            competency.power,
        )


# -- scale and axes ----------------------------------------------------------------------------


def test_scale_is_the_leaflets_check_box_no_or_yes(framework: Framework) -> None:
    assert [(level.value, level.label) for level in framework.scale.levels] == [(0, "いいえ"), (1, "はい")]
    assert framework.scale.positive_from == 1


def test_axes_ask_the_leaflets_two_questions(framework: Framework, leaflet: str) -> None:
    assert [(a.axis.value, a.label, a.question) for a in framework.axes] == [
        ("understanding", "理解", "理解しているか"),
        ("practice", "実践", "推進・実践できているか"),
    ]
    for axis in framework.axes:
        assert f"『{axis.question}』" in leaflet


# -- the check list ----------------------------------------------------------------------------


def test_checklist_has_29_items_split_4_5_5_5_10(framework: Framework) -> None:
    checklist = sheet(framework, "checklist")
    assert len(list(checklist.items())) == 29
    assert [s.element for s in checklist.sections] == [2, 3, 6, 7, 9]
    assert [len(s.items) for s in checklist.sections] == [4, 5, 5, 5, 10]


def test_checklist_items_have_the_leaflets_marks_and_names(framework: Framework) -> None:
    checklist = sheet(framework, "checklist")
    for section in checklist.sections:
        assert [(i.mark, i.name) for i in section.items] == CHECKLIST[section.element]


def test_checklist_item_codes_are_element_and_position(framework: Framework) -> None:
    checklist = sheet(framework, "checklist")
    for section in checklist.sections:
        codes = [item.code for item in section.items]
        assert codes == [f"{section.element}-{n}" for n in range(1, len(section.items) + 1)]


def test_checklist_items_belong_to_their_sections_element(framework: Framework) -> None:
    checklist = sheet(framework, "checklist")
    for section in checklist.sections:
        element = framework.element(section.element)
        assert section.title == element.name
        for item in section.items:
            assert (item.element, item.tier, item.power) == (element.number, element.tier, element.power)


def test_every_checklist_row_appears_verbatim_in_the_leaflet(framework: Framework, leaflet: str) -> None:
    for item in sheet(framework, "checklist").items():
        assert item.description, item.code
        assert f"\t{item.mark}{item.name}\t{item.description}\n" in leaflet, item.code


def test_some_descriptions_are_spelled_out_in_full(framework: Framework) -> None:
    descriptions = {item.code: item.description for item in framework.items()}
    for code, description in SOME_DESCRIPTIONS.items():
        assert descriptions[code] == description


def test_each_checklist_section_has_the_leaflets_column_headings(framework: Framework, leaflet: str) -> None:
    sections = sheet(framework, "checklist").sections
    assert {s.element: s.headings for s in sections} == HEADINGS
    in_leaflet = [
        tuple(line.split("\t")[1:]) for line in leaflet.splitlines() if line.startswith("☑ 出来ていること\t")
    ]
    assert in_leaflet == [s.headings for s in sections]


def test_checklist_sections_follow_the_leaflets_order(framework: Framework, leaflet: str) -> None:
    titles = re.findall(r"^## \d .+ > (.+)$", leaflet, flags=re.MULTILINE)
    assert titles == [s.title for s in sheet(framework, "checklist").sections]


def test_checklist_sheet_is_the_leaflets_own_with_its_intro(framework: Framework, leaflet: str) -> None:
    checklist = sheet(framework, "checklist")
    assert checklist.title == "伴走支援に必要な力 確認リスト"
    assert checklist.derived is False
    assert len(checklist.intro) == 3
    for line in checklist.intro:
        assert line in leaflet


def test_the_one_glyph_fix_is_applied_and_the_wrong_glyph_is_absent(framework: Framework) -> None:
    texts = list(strings_in(framework))
    assert any(FIXED_GLYPH in text for text in texts)
    assert not any(WRONG_GLYPH in text for text in texts)
    assert WRONG_GLYPH not in LEAFLET_DATA.read_text(encoding="utf-8")


# -- the derived sheet -------------------------------------------------------------------------


def test_derived_sheet_is_marked_derived_and_has_16_items(framework: Framework) -> None:
    labels = sheet(framework, "labels")
    assert labels.derived is True
    assert labels.intro
    assert len(list(labels.items())) == 16
    assert [(s.title, len(s.items)) for s in labels.sections] == [
        ("A 基礎知識・基礎スキル", 7),
        ("C チーム全体で備えるべき力", 9),
    ]
    assert all(section.headings == () for section in labels.sections)


def test_derived_sheet_asks_each_a_and_c_label_in_table_order(framework: Framework) -> None:
    items = list(sheet(framework, "labels").items())
    expected = [c for c in framework.competencies if c.tier in ("A", "C")]
    assert [(i.tier, i.power, i.name, i.element) for i in items] == [
        (c.tier, c.power, c.label, c.element) for c in expected
    ]
    assert [i.code for i in items] == [f"A-{n}" for n in range(1, 8)] + [f"C-{n}" for n in range(1, 10)]
    assert all(i.mark == "" and i.description == "" for i in items)


def test_derived_sheet_covers_elements_1_4_5_8(framework: Framework) -> None:
    covered = {i.element for i in sheet(framework, "labels").items() if i.element is not None}
    assert covered == {1, 4, 5, 8}


def test_every_element_is_asked_by_some_item(framework: Framework) -> None:
    assert {i.element for i in framework.items()} - {None} == set(range(1, 10))
    assert len(list(framework.items())) == 45
    assert len(set(framework.item_codes())) == 45


# -- prose -------------------------------------------------------------------------------------


def test_caution_is_the_leaflets_closing_caution(framework: Framework, leaflet: str) -> None:
    assert framework.texts.caution == CAUTION
    assert CAUTION in leaflet


def test_prose_has_the_leaflets_bullets_in_number(framework: Framework) -> None:
    texts = framework.texts
    assert texts.subtitle == "～市町村支援に関わる方の自己点検と研修・計画づくりの参考として～"
    lengths = [len(t) for t in (texts.about, texts.about_elements, texts.usage, texts.three_powers)]
    assert lengths == [4, 2, 4, 3]
    assert len(texts.after_table) == 2
    assert len(texts.closing) == 1


def test_every_prose_sentence_appears_verbatim_in_the_leaflet(framework: Framework, leaflet: str) -> None:
    plain = leaflet.replace("**", "")
    texts = framework.texts
    for text in (texts.subtitle, *texts.after_table, *texts.closing, texts.caution):
        assert text in leaflet
    for bullet in (*texts.about, *texts.about_elements, *texts.usage, *texts.three_powers):
        assert not bullet.startswith("・")
        assert f"- ・ {bullet}\n" in plain


# -- another framework -------------------------------------------------------------------------


def test_four_level_variant_loads_with_4_levels_positive_from_3() -> None:
    variant = read_framework_file(FOUR_LEVEL_VARIANT).framework
    assert variant.slug == "four-level-example"
    assert variant.scale.values() == (1, 2, 3, 4)
    assert variant.scale.positive_from == 3
    assert not variant.scale.is_positive(2)
    assert variant.scale.is_positive(3)
    assert (len(variant.powers), len(variant.elements), len(variant.tiers), len(variant.sheets)) == (
        2,
        3,
        2,
        1,
    )
    assert {i.element for i in variant.items()} == {1, 2, 3}
