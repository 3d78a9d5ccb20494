"""What the team pages say: the tier rules in words, names or counts, 担当, the dialogue sheet, joining
and choosing what to share."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.checks.models import Check
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Axis, Framework
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import PRIVATE, Audience
from bansou.sharing.models import CheckShare
from bansou.teams import services
from bansou.teams.models import Team, TeamMember
from tests.teams.conftest import DATA_ELEMENT, THIS_YEAR, World, all_but

MET, NOT_MET, UNKNOWN = "○ 満たしている", "× 不足", "？ 判定できない"
VERDICT_CLASS = {MET: "met", NOT_MET: "not_met", UNKNOWN: "unknown"}
CAUTION = "あくまでも主役は市町村"
NAMES = ("中核 一郎", "伴走 花子", "調整 二郎")

RULE_ROW = re.compile(
    r'<th scope="row"><span class="tier-code">([ABC])</span> (.*?)</th>\s*'
    r'<td class="verdict verdict-(\w+)">(.*?)</td>\s*<td>(.*?)</td>',
    re.DOTALL,
)


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    """Nobody here logs in with a password: hash the personas' quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(client: Client, name: str, *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


# The C labels of the leaflet's table, in its order: a C rule is keyed by its label's code.
C_LABELS = {
    "伴走支援の基本姿勢": "C-1",
    "チームで進めるための基礎的な理解": "C-2",
    "実践的な対人スキル": "C-3",
    "協働するスキル": "C-4",
    "データ活用力": "C-5",
    "事例判断力": "C-6",
    "プロジェクト推進力": "C-7",
    "解決策に関わる知識・ノウハウ": "C-8",
    "伴走支援チームの役割理解": "C-9",
}
EVERY_C = tuple(C_LABELS.values())


def rule_key(tier: str, what: str) -> str:
    """A row of the rules table by what it checks: "B2" (element 2), "C-5" (the label C-5), "A"."""
    if tier == "C":
        label = re.search(r"チーム全体で「(.+?)」を備えている", what)
        assert label is not None, what
        return C_LABELS[label.group(1)]
    number = re.search(r"「(\d)\. ", what)
    return tier + (number.group(1) if number else "")


def rules(html: str) -> dict[str, tuple[str, str]]:
    """The rules table: "B2", "C-5", "A" to (verdict, reason), in the order shown (B by element
    number, C by label code)."""
    found = {}
    for tier, what, css, verdict, reason in RULE_ROW.findall(html):
        key = rule_key(tier, what)
        assert key not in found
        assert VERDICT_CLASS[verdict] == css, (key, verdict, css)
        found[key] = (verdict, reason)
    return found


def team_page(world: World, persona: str) -> dict[str, tuple[str, str]]:
    return rules(page(world.client(persona), "teams:detail", world.team.public_id))


def verdicts(found: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {key: verdict for key, (verdict, _) in found.items()}


def with_practice_off(codes: set[str], base: Callable[[str, Axis], int]) -> Callable[[str, Axis], int]:
    """``base``, but ○ on 実践 nowhere among ``codes``."""
    return lambda code, axis: 0 if code in codes and axis is Axis.PRACTICE else base(code, axis)


def everything(code: str, axis: Axis) -> int:
    return 1


# The rules table ------------------------------------------------------------------------------------


def test_the_rules_table_has_every_b_c_and_a_rule_with_a_verdict_and_a_reason(world: World) -> None:
    found = team_page(world, "member")

    assert list(found) == ["B2", "B3", "B6", "B7", "B9", *EVERY_C, "A"]
    for verdict, reason in found.values():
        assert verdict in (MET, NOT_MET, UNKNOWN)
        assert reason.strip()
    assert verdicts(found) == {**dict.fromkeys(found, MET), "C-5": NOT_MET}  # データ活用力 is element 4
    assert found["B2"][1] == "中核推進役・調整役のうち 中核 一郎、伴走 花子 が実践できています。"
    assert found["C-1"][1] == "中核 一郎、調整 二郎、伴走 花子 が実践できています（目安 1人）。"
    assert found["C-4"][1] == "中核 一郎、調整 二郎、伴走 花子 が実践できています（目安 1人）。"
    assert found["C-5"][1] == "実践できているメンバーは 0人 です（目安 1人）。"
    assert found["A"][1] == "全員が、基礎知識・基礎スキルのすべての項目を理解しています。"


def test_the_rules_are_named_by_the_leaflets_elements_and_labels(world: World) -> None:
    html = page(world.client("member"), "teams:detail", world.team.public_id)
    assert "中核推進役・調整役が「9. 主体性を引き出す力」を備えている" in html
    element = '<span class="note rule-element">（エレメント 4）</span>'
    assert f"チーム全体で「データ活用力」を備えている {element}" in html
    assert "チーム全体で「協働するスキル」を備えている</th>" in html  # a label that is no element
    assert "メンバー全員が基礎知識・基礎スキルを備えている" in html
    assert "<li>チーム全体で「データ活用力」を実践できているメンバーがいません</li>" in html


def test_a_member_who_has_not_shared_makes_a_rule_unknown_only_where_they_could_change_it(
    world: World,
) -> None:
    sharing_services.share(user=world.people["member"], audience=Audience.team(world.team.pk), choice=PRIVATE)

    found = team_page(world, "lead")

    assert verdicts(found) == {**dict.fromkeys(found, MET), "C-5": UNKNOWN, "A": UNKNOWN}
    assert found["C-5"][1] == (
        "実践できているメンバーは 0人 です（目安 1人）。"
        "チェックを共有していないメンバーが 1人 いるため、判定できません。"
    )
    assert found["C-1"][1] == "中核 一郎、伴走 花子 が実践できています（目安 1人）。"
    assert found["A"][1] == "チェックを共有していないメンバーが 1人 いるため、判定できません。"
    html = page(world.client("lead"), "teams:detail", world.team.public_id)
    assert "「× 不足」の判定はありません（エレメントにも、C の力にも、基礎知識・基礎スキルにも）。" in html
    assert "ただし、チェックを共有していないメンバーが 1人 います。" in html

    # Three needed: one more could make every C label but データ活用力 (element 4), which nobody can.
    Team.objects.filter(pk=world.team.pk).update(needed=3)
    found = team_page(world, "lead")
    assert verdicts(found) == {
        **dict.fromkeys(found, MET),
        **dict.fromkeys(EVERY_C, UNKNOWN),
        "C-5": NOT_MET,
        "A": UNKNOWN,
    }
    assert found["C-5"][1] == "実践できているメンバーは 0人 です（目安 3人）。"


def test_a_core_member_who_has_not_shared_leaves_a_b_rule_unknown(
    world: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    nine = {item.code for item in framework.items() if item.element == 9}
    submitted(world.people["lead"], with_practice_off(nine, all_but(DATA_ELEMENT, framework)))
    sharing_services.share(user=world.people["owner"], audience=Audience.team(world.team.pk), choice=PRIVATE)

    found = team_page(world, "lead")

    assert found["B9"] == (
        UNKNOWN,
        "中核推進役・調整役のうち 1人 がチェックを共有していないため、判定できません。",
    )
    assert found["B2"] == (MET, "中核推進役・調整役のうち 中核 一郎 が実践できています。")


def test_the_needed_setting_changes_a_c_verdict(world: World) -> None:
    assert team_page(world, "member")["C-1"][0] == MET

    response = world.client("lead").post(
        reverse("teams:settings", args=[world.team.public_id]),
        {
            "municipality": "131016",
            "fiscal_year": world.team.fiscal_year,
            "name": "第1支援チーム",
            "needed": "4",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("teams:detail", args=[world.team.public_id])
    found = team_page(world, "member")
    assert found["C-1"] == (NOT_MET, "実践できているメンバーは 3人 です（目安 4人）。")
    assert found["C-5"] == (NOT_MET, "実践できているメンバーは 0人 です（目安 4人）。")
    assert found["B2"][0] == MET  # B rules ask for one core member whatever the setting
    html = page(world.client("member"), "teams:detail", world.team.public_id)
    short = "チーム全体で「伴走支援の基本姿勢」を実践できているメンバーが 3人 で、目安の 4人 に足りません"
    assert short in html
    assert "<h1>東京都 千代田区（第1支援チーム）</h1>" in html


def test_the_needed_setting_is_kept_within_its_range(world: World) -> None:
    url = reverse("teams:settings", args=[world.team.public_id])
    kept = {"municipality": "131016", "fiscal_year": world.team.fiscal_year, "name": ""}
    for bad in ("0", "21", "二"):
        assert world.client("lead").post(url, {**kept, "needed": bad}).status_code == 200
    world.team.refresh_from_db()
    assert world.team.needed == 1
    assert world.client("member").post(url, {**kept, "needed": "2"}).status_code == 403


def test_members_see_names_in_the_reasons_and_staff_see_neither_names_nor_counts(
    world: World, submitted: Callable[..., Check]
) -> None:
    submitted(world.people["member"], lambda code, axis: 0 if code == "A-1" else 1)  # lacks a basic

    for_members = team_page(world, "member")
    for_staff = team_page(world, "staff")

    assert for_members["A"] == (
        NOT_MET,
        "基礎知識・基礎スキルに、まだ理解していない項目があるメンバー：調整 二郎",
    )
    # Staff see aggregates, never over fewer than five people (PRODUCT.md): the verdict only.
    assert for_staff["A"] == (NOT_MET, "目安を満たしていません。")
    assert for_staff["B2"][1] == "目安を満たしています。"
    assert for_staff["C-1"][1] == "目安を満たしています。"
    assert for_staff["C-5"] == (MET, "目安を満たしています。")
    assert for_members["C-5"] == (MET, "調整 二郎 が実践できています（目安 1人）。")
    assert verdicts(for_staff) == verdicts(for_members)
    assert any(name in reason for _, reason in for_members.values() for name in NAMES)
    for _, reason in for_staff.values():
        assert not any(name in reason for name in NAMES), reason
        assert "人" not in reason, reason
    staff_html = page(world.client("staff"), "teams:detail", world.team.public_id)
    assert "チームマップ" not in staff_html
    assert "項目ごとの回答" not in staff_html


# 担当 and the caution ---------------------------------------------------------------------------------


def test_the_assignments_saved_appear_in_the_maps_row(world: World) -> None:
    lead, owner, member = (world.members[p].pk for p in ("lead", "owner", "member"))
    url = reverse("teams:assignments", args=[world.team.public_id])

    response = world.client("lead").post(url, {"element_4": [owner], "element_2": [lead, member]})

    assert response.status_code == 302
    html = page(world.client("member"), "teams:detail", world.team.public_id)
    footer = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert '<th scope="row">担当</th>' in footer
    cells = re.findall(r"<td>(.*?)</td>", footer)[:9]
    assert cells[3] == "伴走 花子"
    assert sorted(cells[1].split("、")) == sorted(["中核 一郎", "調整 二郎"])
    assert all("未定" in cells[i] for i in (0, 2, 4, 5, 6, 7, 8))
    staff = page(world.client("staff"), "teams:detail", world.team.public_id)
    assert "<li>4. データ活用力：伴走 花子</li>" in staff
    again = page(world.client("lead"), "teams:assignments", world.team.public_id)
    assert re.search(rf'name="element_4" value="{owner}"[^>]*checked', again)
    assert not re.search(rf'name="element_4" value="{lead}"[^>]*checked', again)


def test_assignments_ignore_someone_outside_the_team(world: World) -> None:
    stranger = TeamMember.objects.get(team=world.other_team).pk
    url = reverse("teams:assignments", args=[world.team.public_id])
    response = world.client("lead").post(url, {"element_4": [stranger]})
    assert response.status_code == 200  # not a choice: the form says so, nothing is saved
    assert "element_4" in response.context["form"].errors
    html = page(world.client("member"), "teams:detail", world.team.public_id)
    assert "別班 三子" not in html


@pytest.mark.parametrize("name", ["teams:detail", "teams:assignments", "teams:dialogue"])
def test_the_caution_is_shown_where_plans_are_made(world: World, name: str) -> None:
    html = page(world.client("lead"), name, world.team.public_id)
    assert '<p class="caution">' in html
    assert CAUTION in html


# The dialogue sheet --------------------------------------------------------------------------------


def listed(html: str, heading: str) -> list[str]:
    start = html.index(f"<h2>{heading}</h2>")
    section = html[start : html.index("<h2>", start + 1)]
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", section)]


def test_the_dialogue_sheet_lists_what_nobody_practises_and_where_answers_differ(
    world: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    base = all_but(DATA_ELEMENT, framework)
    submitted(world.people["lead"], with_practice_off({"9-1", "9-2"}, base))
    submitted(world.people["owner"], with_practice_off({"9-1"}, base))
    submitted(world.people["member"], with_practice_off({"9-1"}, everything))

    html = main(page(world.client("lead"), "teams:dialogue", world.team.public_id))

    assert listed(html, "まだ誰も実践できていない項目") == ["①傾聴・受容姿勢 エレメント9"]
    assert sorted(listed(html, "メンバーの答えが分かれている項目")) == sorted(
        ["②関係性づくりの姿勢 エレメント9", "データ活用力 エレメント4"]
    )
    assert "メンバー 3人のうち 3人 が共有したチェックから" in html
    assert "%" not in html and "％" not in html
    assert not re.search(r"\d+\s*[/／]\s*\d+", html)  # no scores per person
    assert "点数で人を比べるものではありません" in html


def test_the_dialogue_sheet_of_the_world_has_element_4_only_and_no_scores(world: World) -> None:
    html = main(page(world.client("lead"), "teams:dialogue", world.team.public_id))
    assert listed(html, "まだ誰も実践できていない項目") == ["データ活用力 エレメント4"]
    assert listed(html, "メンバーの答えが分かれている項目") == []
    assert "%" not in html and not re.search(r"\d+\s*[/／]\s*\d+", html)


def test_the_dialogue_sheet_leaves_out_members_who_have_not_shared(world: World) -> None:
    sharing_services.share(user=world.people["member"], audience=Audience.team(world.team.pk), choice=PRIVATE)
    html = main(page(world.client("lead"), "teams:dialogue", world.team.public_id))
    assert "メンバー 3人のうち 2人 が共有したチェックから" in html
    section = html[html.index(">調整 二郎</h3>") :]
    assert section.index("チェックを共有していません。") < section.index("</section>")


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("staff", 403), ("candidate", 404)])
def test_only_leads_read_the_dialogue_sheet(world: World, persona: str, status: int) -> None:
    response = world.client(persona).get(reverse("teams:dialogue", args=[world.team.public_id]))
    assert response.status_code == status


# Joining and sharing -------------------------------------------------------------------------------


def test_the_join_page_explains_what_is_shared_and_joining_leads_to_the_share_page(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    client = world.client("candidate")
    url = reverse("teams:join", args=[invitation.code])

    html = page(client, "teams:join", invitation.code)

    assert "東京都 千代田区" in html and format_fiscal_year(THIS_YEAR) in html
    assert "参加しても、あなたのチェックは共有されません（非公開のまま）。" in html
    assert "チームのメンバーは、エレメントごとの理解と実践を見られます。" in html
    assert "チームのリーダーは、項目ごとの回答を見られます。見られるたびに記録され" in html
    assert (
        "東京都 福祉局の職員は、チームとしての判定（満たしているか、不足しているか、どのエレメントが不足して"
        "いるか）だけを見られます。ただし、その判定にかかわるメンバー全員が同意したときに限ります。"
        "氏名や人数は示されません。" in html
    )
    assert "チームの人数が少ないと、チームとしての判定から一人ひとりの状況が分かることがあります" in html
    assert html.index("共有されません") < html.index("このチームに参加する</button>")

    response = client.post(url, {"roles": ["advisor"]})

    assert response.status_code == 302
    assert response["Location"] == reverse("teams:share", args=[world.team.public_id])
    assert TeamMember.objects.get(team=world.team, user=world.people["candidate"]).roles == ["advisor"]
    assert not CheckShare.objects.filter(team=world.team, owner=world.people["candidate"]).exists()
    share_page = page(client, "teams:share", world.team.public_id)
    assert re.search(r'<input type="radio" name="choice" value="" [^>]*checked', share_page)
    # The consent to showing staff the verdicts is asked there, unticked.
    assert "東京都 福祉局の職員に、このチームの判定を示してよい" in share_page
    consent = re.search(r'<input type="checkbox" name="verdicts_to_staff"[^>]*>', share_page)
    assert consent is not None and "checked" not in consent.group(0)


def test_joining_needs_a_role(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    response = world.client("candidate").post(
        reverse("teams:join", args=[invitation.code]),
        {"affiliation": ""},  # a browser sends the form
    )
    assert response.status_code == 200
    assert "役割を一つ以上選んでください。" in response.content.decode()
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()


def test_a_code_typed_by_hand_leads_to_the_join_page(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    typed = "-".join(invitation.code[i : i + 4] for i in range(0, 12, 4)).lower()
    response = world.client("candidate").post(reverse("teams:join_by_code"), {"code": typed})
    assert response["Location"] == reverse("teams:join", args=[invitation.code])


def radios(html: str) -> list[tuple[str, bool, str]]:
    """(value, checked, label) of each choice of the share form."""
    return [
        (value, bool(checked), label.strip())
        for value, checked, label in re.findall(
            r'<input type="radio" name="choice" value="([^"]*)" id="[^"]*"( checked)?>([^<]*)</label>', html
        )
    ]


def test_the_share_page_offers_private_latest_and_each_own_check(
    world: World, submitted: Callable[..., Check]
) -> None:
    older = world.checks["owner"]
    newer = submitted(world.people["owner"])
    client = world.client("owner")

    choices = radios(page(client, "teams:share", world.team.public_id))

    assert [value for value, _, _ in choices] == ["", "latest", str(newer.public_id), str(older.public_id)]
    assert choices[0][2] == "共有しない"
    assert choices[1][2].startswith("常に最新")
    assert all(label.endswith("に提出したチェック") for _, _, label in choices[2:])
    assert [checked for _, checked, _ in choices] == [False, True, False, False]
    assert str(world.checks["lead"].public_id) not in page(client, "teams:share", world.team.public_id)

    client.post(reverse("teams:share", args=[world.team.public_id]), {"choice": str(older.public_id)})
    assert CheckShare.objects.get(team=world.team, owner=world.people["owner"]).check_record == older
    choices = radios(page(client, "teams:share", world.team.public_id))
    assert [checked for _, checked, _ in choices] == [False, False, False, True]


def test_posting_private_on_the_share_page_withdraws(world: World) -> None:
    client = world.client("owner")
    url = reverse("teams:share", args=[world.team.public_id])

    response = client.post(url, {"choice": ""}, follow=True)

    assert response.redirect_chain == [(reverse("teams:detail", args=[world.team.public_id]), 302)]
    assert not CheckShare.objects.filter(team=world.team, owner=world.people["owner"]).exists()
    html = response.content.decode()
    assert "チームへの共有をやめました。" in html
    assert "あなたはまだこのチームにチェックを共有していません（非公開）。" in html
    row = html[html.index('<span class="map-name">伴走 花子') :]
    assert row[: row.index("</tr>")].count("未共有") == 10  # nine elements and the basics


def test_someone_elses_check_is_not_a_choice_on_the_share_page(world: World) -> None:
    client = world.client("owner")
    url = reverse("teams:share", args=[world.team.public_id])
    response = client.post(url, {"choice": str(world.checks["lead"].public_id)})
    assert response.status_code == 200
    assert "choice" in response.context["form"].errors
    assert CheckShare.objects.get(team=world.team, owner=world.people["owner"]).check_record is None


# The pool from a team's gaps -----------------------------------------------------------------------


def test_staff_follow_the_gap_link_to_a_pool_candidate(world: World) -> None:
    html = page(world.client("staff"), "teams:detail", world.team.public_id)
    link = re.search(r'<a class="button" href="([^"]+)">組織の人材プールから、補える人を探す</a>', html)
    assert link is not None
    response = world.client("staff").get(link.group(1).replace("&amp;", "&"))
    pool = response.content.decode()
    assert response.status_code == 200
    assert "1人 見つかりました" in pool and "補完 六子" in pool
    assert "データ活用力" in pool
    assert "伴走 花子" not in pool  # the team's own members are left out


def test_an_older_team_can_still_search_the_pool_for_its_gaps(world: World) -> None:
    Team.objects.filter(pk=world.team.pk).update(fiscal_year=2024)
    response = world.client("staff").get(
        reverse("teams:pool", args=[world.team.public_id]), {"elements": [DATA_ELEMENT]}
    )
    assert "補完 六子" in response.content.decode()


def test_staff_search_the_pool_by_a_c_label(world: World) -> None:
    """協働するスキル (C-4) is no element: the pool is searched by its row on the second sheet."""
    url = reverse("teams:org_pool", args=[world.org.public_id])
    client = world.client("staff")
    form = client.get(url).content.decode()
    assert 'name="labels" value="C-4"' in form and "協働するスキル" in form
    assert "データ活用力（エレメント 4）" in form  # a label that is an element says so

    for wanted in ("C-4", "C-5"):
        response = client.get(url, {"labels": [wanted], "fiscal_year": THIS_YEAR})
        html = response.content.decode()
        assert response.status_code == 200
        assert "1人 見つかりました" in html and "補完 六子" in html  # the one person in the pool
    assert "<td>データ活用力</td>" in html  # what they practise, of what was asked


def test_a_pool_search_without_an_element_says_what_is_missing(world: World, framework: Framework) -> None:
    """The field is marked ※必須: pressing 探す with none ticked says so, and nothing is searched."""
    url = reverse("teams:org_pool", args=[world.org.public_id])
    response = world.client("staff").get(url, {"fiscal_year": str(world.team.fiscal_year)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "エレメントか力（C）を一つ以上選んでください。" in html and "見つかりました" not in html
    assert framework.texts.caution in html  # 主役は市町村, beside the pool too
    first = world.client("staff").get(url).content.decode()  # opening the page is not a search
    assert "エレメントか力（C）を一つ以上選んでください。" not in first
