"""The renderers (xlsx, and CSV in UTF-8 with BOM and in CP932), everything about oneself as JSON and xlsx,
and deleting one's account. A check's answers as downloads: tests/checks/test_downloads.py."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Axis, Framework
from bansou.domain.reports import Column, Table, Workbook, unencodable
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.plans.models import Plan, Step
from bansou.reports import render
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience, ShareChoice
from bansou.sharing.models import CheckShare
from bansou.teams import services as teams
from bansou.teams.models import AccessLog, Team, TeamMember
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NAME = "髙橋　𠮷子"  # 髙 is in CP932, 𠮷 (outside the BMP) is not


def some_no(framework: Framework) -> Callable[[str, Axis], int]:
    first = next(framework.items()).code
    return lambda code, axis: 0 if code == first else 1


def xlsx_of(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body))


# The renderers -----------------------------------------------------------------------------------


def test_xlsx_keeps_codes_as_text_and_never_writes_a_formula() -> None:
    table = Table(
        "回答",
        (Column("code", "コード"), Column("n", "数", text=False), Column("note", "メモ")),
        (("012345", 3, "=1+1"), ("7", 4, None)),
    )
    book = xlsx_of(render.xlsx(Workbook((table,))))
    sheet = book["回答"]
    assert [c.value for c in sheet[1]] == ["コード", "数", "メモ"]
    assert sheet["A2"].value == "012345" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"  # text, not a formula
    assert sheet["C3"].value is None
    assert not sheet.merged_cells.ranges


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "ROWS_PER_SHEET", 2)
    table = Table("回答", (Column("n", "番号", text=False),), tuple((n,) for n in range(5)))
    book = xlsx_of(render.xlsx(Workbook((table, Table("空", (Column("a", "A"),), ())))))
    assert book.sheetnames == ["回答", "回答_2", "回答_3", "空"]
    assert [[c.value for c in r] for r in book["回答_3"].iter_rows()] == [["番号"], [4]]
    assert [c.value for c in book["空"][1]] == ["A"]


def test_csv_is_utf8_with_bom_and_crlf_or_cp932_when_possible() -> None:
    table = Table(
        "t", (Column("name", "氏名"), Column("v", "値", text=False)), (("髙橋", 1), ("=SUM(A1)", -2))
    )
    body = render.csv_bytes(table)
    assert body.startswith(codecs.BOM_UTF8) and b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows == [["氏名", "値"], ["髙橋", "1"], ["'=SUM(A1)", "-2"]]  # a formula is defused, a number not
    sjis = render.csv_bytes(table, "cp932")
    assert list(csv.reader(io.StringIO(sjis.decode("cp932"), newline="")))[1] == ["髙橋", "1"]


def test_cp932_is_refused_naming_the_characters_it_cannot_write() -> None:
    table = Table("t", (Column("name", "氏名"),), ((NAME,), ("𠮷野家",), ("①",)))
    with pytest.raises(render.Unencodable) as refused:
        render.csv_bytes(table, "cp932")
    assert refused.value.characters == ["𠮷"]
    assert unencodable("髙橋①", "cp932") == []


# My data -------------------------------------------------------------------------------------------


@pytest.fixture
def person(submitted: Callable[..., Check], framework: Framework, municipalities: object) -> User:
    """Someone with a name outside CP932, two checks, a plan, a team they lead and share with, an
    organisation they administer, and a lead who looked at their answers."""
    user = make_user("takahashi", NAME, furigana="タカハシ ヨシコ")
    submitted(user, some_no(framework))
    latest = submitted(user)
    plan = Plan.objects.create(owner=user, check_record=latest, reflection="ふりかえり")
    Step.objects.create(plan=plan, item_code=next(framework.items()).code, position=0, action="次の一歩です")
    org = create_organisation(user=user, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    from bansou.places.models import Municipality

    team = teams.create_team(
        user=user, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    sharing_services.share(user=user, audience=Audience.team(team.pk), choice=LATEST)
    sharing_services.share(
        user=user, audience=Audience.organisation(org.pk), choice=ShareChoice.parse(str(latest.public_id))
    )
    viewer = make_user("viewer", "閲覧 一郎")
    AccessLog.objects.create(
        subject=user,
        viewer=viewer,
        viewer_name="閲覧 一郎",
        team=team,
        team_label="東京都 千代田区",
        what="member_answers",
    )
    return user


def test_my_data_as_json_holds_everything_and_only_mine(
    person: User, submitted: Callable[..., Check]
) -> None:
    someone = make_user("someone", "他人 花子")
    submitted(someone)
    client = Client()
    client.force_login(person)
    response = client.get(reverse("accounts:my_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == NAME  # exactly as typed
    assert data["profile"]["furigana"] == "タカハシ ヨシコ"
    assert len(data["checks"]) == 2 and all(len(c["answers"]) for c in data["checks"])
    assert {c["id"] for c in data["checks"]} == {str(c.public_id) for c in Check.objects.filter(owner=person)}
    assert data["plans"][0]["steps"][0]["action"] == "次の一歩です"
    assert {s["kind"] for s in data["shares"]} == {"team", "organisation"}
    assert data["organisations"] == [{"name": "東京都 福祉局", "role": "admin", "in_pool": False}]
    assert data["teams"][0]["is_lead"] is True
    assert data["access_log"][0]["viewer"] == "閲覧 一郎"
    assert "他人 花子" not in response.content.decode()


def test_my_data_as_xlsx(person: User) -> None:
    client = Client()
    client.force_login(person)
    book = xlsx_of(client.get(reverse("accounts:my_xlsx")).content)
    assert book.sheetnames == [
        "回答",
        "次の一歩",
        "共有と所属",
        "支援者プロフィール",  # written even when empty: what the app holds of the person, nothing hidden
        "閲覧の記録",
        "コード表",
        "メタデータ",
    ]
    assert book["回答"].max_row == 1 + 2 * 2 * len(
        [c for c in book["コード表"].iter_rows() if c[0].value == "項目コード"]
    )
    assert book["次の一歩"]["D2"].value == "次の一歩です"
    meta = {r[0].value: r[1].value for r in book["メタデータ"].iter_rows(min_row=2)}
    assert NAME in meta["内容"]
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_my_data_needs_an_account() -> None:
    for name in ("accounts:my_json", "accounts:my_xlsx", "accounts:my_data", "accounts:delete"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# Deleting one's account ------------------------------------------------------------------------------


def test_deleting_asks_for_the_password_and_offers_the_export_first(person: User) -> None:
    client = Client()
    client.force_login(person)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert page.index(reverse("accounts:my_xlsx")) < page.index("アカウントとデータをすべて削除する")
    assert "支援チーム「東京都 千代田区」にはほかのメンバーがいないため、チームも削除されます。" in page
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 400 and "パスワードが正しくありません。" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_deleting_removes_everything_and_hands_over_what_others_need(
    person: User, submitted: Callable[..., Check]
) -> None:
    team = Team.objects.get()
    org = person.org_memberships.get().organisation
    mate = make_user("mate", "仲間 二郎")
    TeamMember.objects.create(team=team, user=mate, roles=[])
    staff = make_user("staff", "県庁 三郎")
    Membership.objects.create(organisation=org, user=staff, role=Membership.Role.STAFF)
    client = Client()
    client.force_login(person)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert (
        "リーダーは 仲間 二郎 さんに引き継がれます" in page
        and "管理者は 県庁 三郎 さんに引き継がれます" in page
    )

    response = client.post(reverse("accounts:delete"), {"password": "pass-word-1234"})

    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Check.objects.filter(owner_id=person.pk).exists()
    assert not CheckShare.objects.exists() and not Plan.objects.exists()
    assert not AccessLog.objects.filter(subject_id=person.pk).exists()
    assert TeamMember.objects.get(team=team, user=mate).is_lead
    assert Membership.objects.get(organisation=org, user=staff).role == Membership.Role.ADMIN
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out
