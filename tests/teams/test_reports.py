"""The team page and the dialogue sheet as PDF, and the team map as xlsx and CSV: the same access as
the pages, members' names only for members."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence

import openpyxl
import pytest
from django.urls import reverse

from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, PRIVATE, Audience
from tests.reports.pdfcheck import assert_sound_pdf, pdf_of, squeeze
from tests.teams.conftest import DATA_ELEMENT, World
from tests.teams.test_pages import C_LABELS

pytestmark = pytest.mark.django_db


# Teams: the map and the dialogue sheet ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead", 200), ("member", 200), ("staff", 200), ("other_team_member", 404), ("other_staff", 404)],
)
def test_the_team_page_pdf_follows_the_pages_access(world: World, persona: str, status: int) -> None:
    response = world.client(persona).get(reverse("teams:detail_pdf", args=[world.team.public_id]))
    assert response.status_code == status


def test_the_team_map_pdf_is_for_members_and_staff_get_the_page_without_it(world: World) -> None:
    url = reverse("teams:detail_pdf", args=[world.team.public_id])
    member_text = squeeze(assert_sound_pdf(pdf_of(world.client("member"), url)))
    assert "チームマップ" in member_text and "中核一郎" in member_text
    staff_text = squeeze(assert_sound_pdf(pdf_of(world.client("staff"), url)))
    assert "チームマップ" not in staff_text and "○満たしている" in staff_text  # verdicts, no map


@pytest.mark.parametrize(
    ("persona", "status"), [("lead", 200), ("member", 403), ("staff", 403), ("other_team_member", 404)]
)
def test_the_dialogue_pdf_is_for_leads(world: World, persona: str, status: int) -> None:
    url = reverse("teams:dialogue_pdf", args=[world.team.public_id])
    response = world.client(persona).get(url)
    assert response.status_code == status
    if status == 200:
        text = squeeze(assert_sound_pdf(pdf_of(world.client(persona), url)))
        assert "チームの対話シート" in text


def test_the_team_map_workbook_has_a_row_per_member_and_element(world: World) -> None:
    response = world.client("member").get(reverse("teams:map_xlsx", args=[world.team.public_id]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["チームマップ", "コード表", "メタデータ"]
    sheet = book["チームマップ"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["メンバー", "役割", "共有コード", "単位コード", "エレメント番号"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    members = world.team.members.count()
    assert len(rows) == members * (9 + 9)  # the nine elements and the nine C labels
    lead_rows = [r for r in rows if r[0] == "中核 一郎" and r[3] == "element"]
    assert len(lead_rows) == 9 and all(r[2] == "shared" for r in lead_rows)
    assert all(isinstance(r[8], int) and isinstance(r[10], int) for r in lead_rows)
    assert sheet["A2"].data_type == "s" and sheet["C2"].data_type == "s"
    codes = {(r[0], r[1]) for r in book["コード表"].iter_rows(min_row=2, values_only=True)}
    assert {("共有コード", "not_shared"), ("位置コード", "strength"), ("単位コード", "label")} <= codes
    assert {("C の力コード", code) for code in C_LABELS.values()} <= codes
    meta = dict(book["メタデータ"].iter_rows(min_row=2, values_only=True))
    assert "チームマップ" in meta["内容"]


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 200), ("staff", 403), ("other_team_member", 404), ("anonymous", 302)]
)
def test_only_members_download_the_map(world: World, persona: str, status: int) -> None:
    for name in ("teams:map_xlsx", "teams:map_csv"):
        response = world.client(persona).get(reverse(name, args=[world.team.public_id]))
        assert response.status_code == status, name


def test_the_team_map_csv_reads_back_in_both_encodings(world: World) -> None:
    url = reverse("teams:map_csv", args=[world.team.public_id])
    utf8 = world.client("member").get(url).content
    assert utf8.startswith(codecs.BOM_UTF8) and b"\r\n" in utf8
    rows = list(csv.reader(io.StringIO(utf8.decode("utf-8-sig"), newline="")))
    sjis = world.client("member").get(url + "?encoding=cp932").content
    assert list(csv.reader(io.StringIO(sjis.decode("cp932"), newline=""))) == rows
    assert rows[0][0] == "メンバー" and any(r[0] == "中核 一郎" for r in rows[1:])


# The C labels in the files, as the page shows them --------------------------------------------

MARKS = {
    "strength": ("○", "○"),
    "put_into_practice": ("○", "×"),
    "put_into_words": ("×", "○"),
    "start_here": ("×", "×"),
}


def xlsx_rows(world: World, persona: str) -> list[tuple[object, ...]]:
    response = world.client(persona).get(reverse("teams:map_xlsx", args=[world.team.public_id]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["チームマップ"]
    assert [c.value for c in sheet[1]][6:8] == ["C の力コード", "C の力"]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def csv_rows(world: World, persona: str) -> list[list[str]]:
    content = world.client(persona).get(reverse("teams:map_csv", args=[world.team.public_id])).content
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0][6:8] == ["C の力コード", "C の力"]
    return rows[1:]


def page_label_map(world: World, persona: str) -> dict[str, list[tuple[str, str] | None]]:
    """The page's C label map: per member, per column, (理解, 実践) as ○/×, or None for 未共有."""
    html = world.client(persona).get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    table = html[html.index('<table class="team-map label-map">') :]
    table = table[: table.index("</table>")]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S):
        name = re.search(r'<span class="map-name">(.*?)</span>', row)
        assert name is not None
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        found[name.group(1)] = [
            None if "未共有" in cell else tuple(re.findall(r"(?:理解|実践) ([○×])", cell)) for cell in cells
        ]
    return found


def file_label_map(rows: Sequence[Sequence[object]]) -> dict[str, list[tuple[str, str] | None]]:
    found: dict[str, list[tuple[str, str] | None]] = {}
    for row in rows:
        if row[3] == "label":
            found.setdefault(str(row[0]), []).append(MARKS[str(row[11])] if row[11] else None)
    return found


def test_the_map_files_carry_the_c_labels_in_the_leaflets_words(world: World) -> None:
    for rows in (xlsx_rows(world, "member"), csv_rows(world, "member")):
        labels = [r for r in rows if r[0] == "中核 一郎" and r[3] == "label"]
        assert [(r[6], r[7]) for r in labels] == [(code, name) for name, code in C_LABELS.items()]
        by_code = {r[6]: r for r in labels}
        assert str(by_code["C-5"][4]) == str(DATA_ELEMENT) and by_code["C-5"][11] == "start_here"
        assert by_code["C-2"][11] == "strength" and by_code["C-2"][4] in (None, "")


def test_the_map_files_show_the_c_labels_no_more_than_the_page_and_the_same_to_lead_and_member(
    world: World,
) -> None:
    """The owner stops sharing with the team (their check stays, and stays shared elsewhere): the
    page shows 未共有 for them, and neither file has a figure of theirs."""
    owner = world.people["owner"]
    sharing_services.share(user=owner, audience=Audience.team(world.team.pk), choice=PRIVATE)
    sharing_services.share(user=owner, audience=Audience.team(world.other_team.pk), choice=LATEST)
    page = page_label_map(world, "member")
    assert page["伴走 花子"] == [None] * 9 and page["中核 一郎"][4] == ("×", "×")
    as_member = xlsx_rows(world, "member")
    assert file_label_map(as_member) == page
    assert file_label_map(csv_rows(world, "member")) == page
    owners = [r for r in as_member if r[0] == "伴走 花子"]
    assert len(owners) == 9 + 9 and all(r[2] == "not_shared" and r[8:] == (None,) * 4 for r in owners)
    assert all(r[8:] == [""] * 4 for r in csv_rows(world, "member") if r[0] == "伴走 花子")
    assert xlsx_rows(world, "lead") == as_member and page_label_map(world, "lead") == page
