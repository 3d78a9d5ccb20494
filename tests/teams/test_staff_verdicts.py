"""The team's verdicts for the running organisation's staff: shown only when every member a verdict
considers consented (A and C: everyone; B: the 中核推進役/調整役), asked and changed on the share page,
withdrawn with the share. The world's three members consented; lead and owner are the core members."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from pytest_django import Settings

from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, PRIVATE, Audience
from bansou.sharing.models import CheckShare
from bansou.teams.models import Team
from tests.reports.pdfcheck import text_of
from tests.teams.conftest import World
from tests.teams.test_pages import EVERY_C, MET, NOT_MET, page, rule_key

HIDDEN = "（非表示：個人の状況が分かるため）"
NONE_AT_ALL = "「× 不足」はありません（エレメントにも、C の力にも、基礎知識・基礎スキルにも）。"
ROW = re.compile(
    r'<th scope="row"><span class="tier-code">([ABC])</span> (.*?)</th>\s*'
    r'<td class="verdict verdict-(\w+)">(.*?)</td>\s*<td>(.*?)</td>',
    re.DOTALL,
)


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shown(html: str) -> dict[str, str]:
    """The rules table: "B2", "C-5", "A" to the verdict shown."""
    found = {}
    for tier, what, css, verdict, _reason in ROW.findall(html):
        assert (css == "hidden") == (verdict == HIDDEN), (css, verdict)
        found[rule_key(tier, what)] = verdict
    return found


def detail(world: World, persona: str) -> str:
    return page(world.client(persona), "teams:detail", world.team.public_id)


def share_as(world: World, persona: str, **kwargs: object) -> None:
    sharing_services.share(
        user=world.people[persona],
        audience=Audience.team(world.team.pk),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("how", ["withdraws consent", "stops sharing"])
def test_a_member_outside_the_core_hides_a_and_c_but_not_b(world: World, how: str) -> None:
    if how == "withdraws consent":
        share_as(world, "member", choice=LATEST)  # shares still, without the consent
    else:
        share_as(world, "member", choice=PRIVATE)

    staff = detail(world, "staff")
    verdicts = shown(staff)
    assert {k for k, v in verdicts.items() if v == HIDDEN} == {*EVERY_C, "A"}
    assert all(verdicts[b] == MET for b in ("B2", "B3", "B6", "B7", "B9"))  # the core members consented
    assert "「データ活用力」を実践できているメンバーがいません" not in staff  # the gap goes with its verdict
    assert "組織の人材プールから、補える人を探す" not in staff
    assert f"表示している判定に{NONE_AT_ALL}" in staff
    assert "人 います" not in staff  # no count of people for staff

    members = shown(detail(world, "lead"))
    assert HIDDEN not in members.values()
    assert members["C-5"] == (NOT_MET if how == "withdraws consent" else "？ 判定できない")


def test_a_core_member_without_consent_hides_every_verdict_about_them(world: World) -> None:
    share_as(world, "owner", choice=LATEST)
    assert set(shown(detail(world, "staff")).values()) == {HIDDEN}
    share_as(world, "owner", choice=LATEST, verdicts_to_staff=True)
    assert HIDDEN not in shown(detail(world, "staff")).values()


def test_the_share_page_asks_keeps_and_withdraws_the_consent(world: World) -> None:
    client, member = world.client("member"), world.people["member"]
    url = reverse("teams:share", args=[world.team.public_id])
    consent = re.compile(r'<input type="checkbox" name="verdicts_to_staff"[^>]*>')

    def stored() -> bool | None:
        share = CheckShare.objects.filter(team=world.team, owner=member).first()
        return None if share is None else share.verdicts_to_staff

    box = consent.search(page(client, "teams:share", world.team.public_id))
    assert box is not None and "checked" in box.group(0)  # the world's members consented
    assert client.post(url, {"choice": LATEST.value}).status_code == 302  # the box left unticked
    assert stored() is False
    box = consent.search(page(client, "teams:share", world.team.public_id))
    assert box is not None and "checked" not in box.group(0)
    client.post(url, {"choice": LATEST.value, "verdicts_to_staff": "on"})
    assert stored() is True
    mine = page(client, "teams:my_sharing")
    assert "チームの判定を東京都 福祉局の職員に示すことに同意しています" in mine
    client.post(url, {"choice": PRIVATE.value, "verdicts_to_staff": "on"})  # stops sharing: no consent left
    assert stored() is None


def test_a_team_without_an_organisation_asks_nothing_of_staff(world: World) -> None:
    Team.objects.filter(pk=world.team.pk).update(organisation=None)
    client = world.client("member")
    html = page(client, "teams:share", world.team.public_id)
    assert 'name="verdicts_to_staff"' not in html
    assert "職員" not in html[html.index("<main") : html.index("</main>")]
    client.post(
        reverse("teams:share", args=[world.team.public_id]),
        {"choice": LATEST.value, "verdicts_to_staff": "on"},
    )
    assert CheckShare.objects.get(team=world.team, owner=world.people["member"]).verdicts_to_staff is False


def test_the_staff_pdf_hides_what_the_page_hides(world: World) -> None:
    share_as(world, "lead", choice=LATEST)
    response = world.client("staff").get(reverse("teams:detail_pdf", args=[world.team.public_id]))
    text = "".join(text_of(response.content).split())
    assert "非表示：個人の状況が分かるため" in text
    assert "○満たしている" not in text
