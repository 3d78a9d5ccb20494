"""The team page and the dialogue sheet as PDF, and the team map as xlsx and CSV: the same access as
the pages, members' names only for members."""

from __future__ import annotations

import codecs
import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.reports.pdfcheck import assert_sound_pdf, pdf_of, squeeze
from tests.teams.conftest import World

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
    assert header[:4] == ["メンバー", "役割", "共有コード", "エレメント番号"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    members = world.team.members.count()
    assert len(rows) == members * 9
    lead_rows = [r for r in rows if r[0] == "中核 一郎"]
    assert len(lead_rows) == 9 and all(r[2] == "shared" for r in lead_rows)
    assert all(isinstance(r[4], int) and isinstance(r[6], int) for r in lead_rows)
    assert sheet["A2"].data_type == "s" and sheet["C2"].data_type == "s"
    codes = {(r[0], r[1]) for r in book["コード表"].iter_rows(min_row=2, values_only=True)}
    assert {("共有コード", "not_shared"), ("位置コード", "strength")} <= codes
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
