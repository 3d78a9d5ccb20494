"""Reads a framework data file (TOML) into a ``Framework``, with errors that name file and entry.

The file format, by example (every key shown is read; unknown keys are refused):

    [framework]
    slug = "leaflet"            # same slug across versions of one framework
    version = "2025.1"
    title = "伴走支援に必要な力 (エレメント)"
    source = "..."

    [texts]                     # optional prose for the public page
    about = ["...", "..."]
    caution = "..."

    [scale]
    positive_from = 1           # values >= this count as ○
    levels = [{ value = 0, label = "いいえ" }, { value = 1, label = "はい" }]

    [[axes]]                    # exactly understanding and practice
    code = "understanding"
    label = "理解"
    question = "理解しているか"

    [[tiers]]    code, name
    [[powers]]   number, name
    [[elements]] number, name, power, tier
    [[competencies]] tier, power, label, element (optional)

    [[sheets]]   code, title, intro (optional list), derived (bool)
    [[sheets.sections]] title, headings, element | tier + power
    [[sheets.sections.items]] code, mark, name, description (optional), element | tier + power

Messages are in Japanese: the people who load a framework file read them.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bansou.domain.framework import (
    Axis,
    AxisText,
    Competency,
    Element,
    Framework,
    Item,
    Power,
    Scale,
    ScaleLevel,
    Section,
    Sheet,
    Texts,
    Tier,
)
from bansou.domain.framework_fields import Fields, FrameworkFileError

__all__ = ["FrameworkFileError", "LoadedFramework", "parse_framework", "read_framework_file"]


@dataclass(frozen=True)
class LoadedFramework:
    framework: Framework
    digest: str


def read_framework_file(path: Path) -> LoadedFramework:
    """Reads and validates ``path``; raises ``FrameworkFileError`` on any problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkFileError(path.name, "", f"読み込めません（{exc.strerror}）") from exc
    return parse_framework(raw, source=path.name)


def parse_framework(raw: bytes, *, source: str) -> LoadedFramework:
    """Parses TOML bytes into a validated framework and the SHA-256 of the bytes."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(source, "", "UTF-8 ではありません") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkFileError(source, "", f"TOML として読めません（{exc}）") from exc
    framework = _Reader(source).framework(data)
    return LoadedFramework(framework=framework, digest=hashlib.sha256(raw).hexdigest())


class _Reader(Fields):
    """The file's shape: its tables, and the references between them (reading one value: ``Fields``)."""

    def framework(self, data: Mapping[str, Any]) -> Framework:
        top = self.table(
            data,
            "",
            {"framework", "scale", "axes", "tiers", "powers", "elements", "competencies", "sheets"},
            {"texts"},
        )
        head = self.table(top["framework"], "[framework]", {"slug", "version", "title", "source"})
        tiers = self.tiers(top)
        powers = self.powers(top)
        elements = self.elements(top, tiers, powers)
        framework = Framework(
            slug=self.text(head, "slug", "[framework]"),
            version=self.text(head, "version", "[framework]"),
            title=self.text(head, "title", "[framework]"),
            source=self.text(head, "source", "[framework]"),
            scale=self.scale(top["scale"]),
            axes=self.axes(top),
            tiers=tuple(tiers.values()),
            powers=tuple(powers.values()),
            elements=tuple(elements.values()),
            competencies=self.competencies(top, tiers, powers, elements),
            sheets=self.sheets(top, tiers, powers, elements),
            texts=self.texts(top.get("texts", {})),
        )
        self.check_every_element_is_asked(framework)
        return framework

    def texts(self, data: Any) -> Texts:
        lists = {"about", "about_elements", "usage", "three_powers", "after_table", "closing"}
        table = self.table(data, "[texts]", set(), lists | {"subtitle", "caution"})
        return Texts(
            subtitle=self.text(table, "subtitle", "[texts]", default=""),
            caution=self.text(table, "caution", "[texts]", default=""),
            **{key: self.texts_of(table, key, "[texts]") for key in sorted(lists)},
        )

    def scale(self, data: Any) -> Scale:
        table = self.table(data, "[scale]", {"positive_from", "levels"})
        levels: list[ScaleLevel] = []
        for index, entry in enumerate(self.array(table, "levels", "[scale]")):
            where = f"scale.levels[{index}]"
            level = self.table(entry, where, {"value", "label"})
            levels.append(ScaleLevel(self.integer(level, "value", where), self.text(level, "label", where)))
        values = [level.value for level in levels]
        if len(levels) < 2:
            raise self.fail("[scale]", "段階は2つ以上必要です")
        if values != sorted(set(values)):
            raise self.fail("[scale]", "「levels」の値は重複なく小さい順に並べてください")
        positive_from = self.integer(table, "positive_from", "[scale]")
        if positive_from not in values[1:]:
            raise self.fail("[scale]", "「positive_from」は最小値以外の段階の値である必要があります")
        return Scale(levels=tuple(levels), positive_from=positive_from)

    def axes(self, top: Mapping[str, Any]) -> tuple[AxisText, ...]:
        axes: dict[Axis, AxisText] = {}
        for index, entry in enumerate(self.array(top, "axes", "")):
            where = f"axes[{index}]"
            table = self.table(entry, where, {"code", "label", "question"})
            code = self.text(table, "code", where)
            try:
                axis = Axis(code)
            except ValueError:
                raise self.fail(
                    where, f"軸「{code}」は understanding か practice である必要があります"
                ) from None
            if axis in axes:
                raise self.fail(where, f"軸「{code}」が重複しています")
            axes[axis] = AxisText(axis, self.text(table, "label", where), self.text(table, "question", where))
        if set(axes) != set(Axis):
            raise self.fail("axes", "understanding と practice の両方が必要です")
        return tuple(axes[axis] for axis in Axis)

    def tiers(self, top: Mapping[str, Any]) -> dict[str, Tier]:
        tiers: dict[str, Tier] = {}
        for index, entry in enumerate(self.array(top, "tiers", "")):
            where = f"tiers[{index}]"
            table = self.table(entry, where, {"code", "name"})
            tier = Tier(self.text(table, "code", where), self.text(table, "name", where))
            if tier.code in tiers:
                raise self.fail(where, f"区分「{tier.code}」が重複しています")
            tiers[tier.code] = tier
        return tiers

    def powers(self, top: Mapping[str, Any]) -> dict[int, Power]:
        powers: dict[int, Power] = {}
        for index, entry in enumerate(self.array(top, "powers", "")):
            where = f"powers[{index}]"
            table = self.table(entry, where, {"number", "name"})
            power = Power(self.integer(table, "number", where), self.text(table, "name", where))
            if power.number in powers:
                raise self.fail(where, f"力の番号 {power.number} が重複しています")
            powers[power.number] = power
        return powers

    def elements(
        self, top: Mapping[str, Any], tiers: Mapping[str, Tier], powers: Mapping[int, Power]
    ) -> dict[int, Element]:
        elements: dict[int, Element] = {}
        for index, entry in enumerate(self.array(top, "elements", "")):
            where = f"elements[{index}]"
            table = self.table(entry, where, {"number", "name", "power", "tier"})
            element = Element(
                number=self.integer(table, "number", where),
                name=self.text(table, "name", where),
                power=self.power_ref(table, where, powers),
                tier=self.tier_ref(table, where, tiers),
            )
            if element.number in elements:
                raise self.fail(where, f"エレメントの番号 {element.number} が重複しています")
            elements[element.number] = element
        return elements

    def power_ref(self, table: Mapping[str, Any], where: str, powers: Mapping[int, Power]) -> int:
        number = self.integer(table, "power", where)
        if number not in powers:
            raise self.fail(where, f"力 {number} は [[powers]] にありません")
        return number

    def tier_ref(self, table: Mapping[str, Any], where: str, tiers: Mapping[str, Tier]) -> str:
        code = self.text(table, "tier", where)
        if code not in tiers:
            raise self.fail(where, f"区分「{code}」は [[tiers]] にありません")
        return code

    def element_ref(
        self, table: Mapping[str, Any], where: str, elements: Mapping[int, Element]
    ) -> Element | None:
        if "element" not in table:
            return None
        number = self.integer(table, "element", where)
        if number not in elements:
            raise self.fail(where, f"エレメント {number} は [[elements]] にありません")
        return elements[number]

    def placement(
        self,
        table: Mapping[str, Any],
        where: str,
        refs: tuple[Mapping[str, Tier], Mapping[int, Power], Mapping[int, Element]],
        inherited: tuple[Element | None, str | None, int | None] = (None, None, None),
    ) -> tuple[Element | None, str, int]:
        """Returns (element, tier, power) of an entry: from its element, its own keys, or its parent's."""
        tiers, powers, elements = refs
        element = self.element_ref(table, where, elements) or inherited[0]
        tier = self.tier_ref(table, where, tiers) if "tier" in table else None
        power = self.power_ref(table, where, powers) if "power" in table else None
        if element is not None:
            if (tier is not None and tier != element.tier) or (power is not None and power != element.power):
                raise self.fail(where, f"区分・力がエレメント {element.number} と一致しません")
            return element, element.tier, element.power
        tier = tier if tier is not None else inherited[1]
        power = power if power is not None else inherited[2]
        if tier is None or power is None:
            raise self.fail(where, "「element」か、「tier」と「power」の両方が必要です")
        return None, tier, power

    def competencies(
        self,
        top: Mapping[str, Any],
        tiers: Mapping[str, Tier],
        powers: Mapping[int, Power],
        elements: Mapping[int, Element],
    ) -> tuple[Competency, ...]:
        result: list[Competency] = []
        for index, entry in enumerate(self.array(top, "competencies", "")):
            where = f"competencies[{index}]"
            table = self.table(entry, where, {"tier", "power", "label"}, {"element"})
            element, tier, power = self.placement(table, where, (tiers, powers, elements))
            label = self.text(table, "label", where)
            result.append(Competency(tier, power, label, element.number if element else None))
        return tuple(result)

    def sheets(
        self,
        top: Mapping[str, Any],
        tiers: Mapping[str, Tier],
        powers: Mapping[int, Power],
        elements: Mapping[int, Element],
    ) -> tuple[Sheet, ...]:
        refs = (tiers, powers, elements)
        sheets: list[Sheet] = []
        codes: set[str] = set()
        for s_index, s_entry in enumerate(self.array(top, "sheets", "")):
            s_where = f"sheets[{s_index}]"
            s_table = self.table(s_entry, s_where, {"code", "title", "sections"}, {"intro", "derived"})
            derived = s_table.get("derived", False)
            if not isinstance(derived, bool):
                raise self.fail(s_where, "「derived」は true か false である必要があります")
            sections = tuple(
                self.section(entry, f"{s_where}.sections[{index}]", refs, codes)
                for index, entry in enumerate(self.array(s_table, "sections", s_where))
            )
            sheet = Sheet(
                code=self.text(s_table, "code", s_where),
                title=self.text(s_table, "title", s_where),
                intro=self.texts_of(s_table, "intro", s_where),
                derived=derived,
                sections=sections,
            )
            if any(existing.code == sheet.code for existing in sheets):
                raise self.fail(s_where, f"シート「{sheet.code}」が重複しています")
            sheets.append(sheet)
        return tuple(sheets)

    def section(
        self,
        data: Any,
        where: str,
        refs: tuple[Mapping[str, Tier], Mapping[int, Power], Mapping[int, Element]],
        codes: set[str],
    ) -> Section:
        table = self.table(data, where, {"title", "headings", "items"}, {"element", "tier", "power"})
        element = self.element_ref(table, where, refs[2])
        tier = self.tier_ref(table, where, refs[0]) if "tier" in table else None
        power = self.power_ref(table, where, refs[1]) if "power" in table else None
        if element is not None and (tier is not None or power is not None):
            self.placement(table, where, refs)  # refuses a tier or power that contradicts the element
        items = []
        for index, entry in enumerate(self.array(table, "items", where)):
            items.append(self.item(entry, f"{where}.items[{index}]", refs, (element, tier, power), codes))
        return Section(
            title=self.text(table, "title", where),
            headings=self.texts_of(table, "headings", where),
            items=tuple(items),
            element=element.number if element else None,
        )

    def item(
        self,
        data: Any,
        where: str,
        refs: tuple[Mapping[str, Tier], Mapping[int, Power], Mapping[int, Element]],
        inherited: tuple[Element | None, str | None, int | None],
        codes: set[str],
    ) -> Item:
        table = self.table(data, where, {"code", "name"}, {"mark", "description", "element", "tier", "power"})
        code = self.text(table, "code", where)
        where = f"{where}（code「{code}」）"
        if code in codes:
            raise self.fail(where, f"項目コード「{code}」が重複しています")
        codes.add(code)
        element, tier, power = self.placement(table, where, refs, inherited)
        return Item(
            code=code,
            mark=self.text(table, "mark", where, default=""),
            name=self.text(table, "name", where),
            description=self.text(table, "description", where, default=""),
            element=element.number if element else None,
            tier=tier,
            power=power,
        )

    def check_every_element_is_asked(self, framework: Framework) -> None:
        asked = {item.element for item in framework.items()}
        for element in framework.elements:
            if element.number not in asked:
                raise self.fail(f"エレメント {element.number}", "このエレメントを問う項目がありません")
