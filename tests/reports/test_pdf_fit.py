"""Every PDF the app makes fits its pages, on realistic data: nothing runs past a page's right or
bottom edge (a column cut off), no page holds only headings (a heading left alone at the foot of a
page, or a page with nothing but a heading), and WeasyPrint logs no CSS warning.

Read from WeasyPrint's own layout: each view's document is kept as it is laid out, and every box on
every page is measured against the page's content area. ``BANSOU_PDF_SHOTS=<folder>`` also writes
each page as a PNG there (pdftoppm, 60 dpi), to look at.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts.models import Phase
from bansou.cohorts.services import close_phase
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Axis, Framework
from bansou.orgs.models import Organisation
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.plans.models import Plan, Step
from bansou.reports import pdf
from bansou.sharing import services as sharing
from bansou.sharing.choices import LATEST, Audience
from bansou.teams import services as teams
from bansou.teams.models import TeamMember
from tests.cohorts.conftest import new_cohort
from tests.cohorts.test_pages import enrol
from tests.conftest import make_user
from tests.reports.pdfcheck import pdf_of

pytestmark = pytest.mark.django_db

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption"})
SLACK = 0.5  # CSS px: rounding in the layout


# Reading the layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    heading: bool  # inside a heading or a table's caption
    note: bool  # the line that says when and from what the PDF was made


def texts_of(box: Any, heading: bool = False, note: bool = False) -> Iterator[Text]:
    from weasyprint.formatting_structure import boxes

    heading = heading or box.element_tag in HEADINGS
    note = note or "pdf-printed" in (box.element.get("class", "") if box.element is not None else "")
    if isinstance(box, boxes.TextBox):
        if box.text.strip():
            yield Text(box.text.strip(), heading, note)
    elif isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from texts_of(child, heading, note)


def overflows(page: Any) -> list[str]:
    """What on ``page`` runs past its content area's right or bottom edge."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    right = page.width - page_box.margin_right + SLACK
    bottom = page.height - page_box.margin_bottom + SLACK
    found = []
    for root in page_box.children:
        if isinstance(root, boxes.MarginBox):  # the footer lives in the margin
            continue
        for box in root.descendants():
            if box.width is None or isinstance(box, boxes.LineBox) or box.element_tag in ("html", "body"):
                continue  # lines and the page's root boxes: what they hold is measured itself
            x, y = box.border_box_x(), box.border_box_y()
            if x + box.border_width() > right or y + box.border_height() > bottom:
                what = box.text if isinstance(box, boxes.TextBox) else box.element_tag
                found.append(
                    f"{type(box).__name__} {what!r} to x={x + box.border_width():.0f}, "
                    f"y={y + box.border_height():.0f} (page content ends at {right:.0f}, {bottom:.0f})"
                )
    return found


def classed(document: Any, name: str) -> Iterator[Any]:
    """Every box, on every page, of an element of the class ``name``."""
    for page in document.pages:
        for box in page._page_box.descendants():
            if box.element is not None and name in box.element.get("class", "").split():
                yield box


def page_faults(document: Any) -> list[str]:
    from weasyprint.formatting_structure import boxes

    faults = []
    (body_font,) = {tuple(box.style["font_family"]) for box in classed(document, "pdf")}
    for number, page in enumerate(document.pages, start=1):
        margins = [c for c in page._page_box.children if isinstance(c, boxes.MarginBox)]
        faults += [
            f"page {number}: the footer in {margin.style['font_family']}, the body in {body_font}"
            for margin in margins
            if tuple(margin.style["font_family"]) != body_font
        ]
        roots = [c for c in page._page_box.children if not isinstance(c, boxes.MarginBox)]
        texts = [t for root in roots for t in texts_of(root) if not t.note]
        faults += [f"page {number}: {what}" for what in overflows(page)[:5]]
        if not texts:
            faults.append(f"page {number}: nothing on it but the footer")
        elif all(t.heading for t in texts):
            faults.append(f"page {number}: only headings ({'/'.join(t.text for t in texts)})")
        elif texts[-1].heading and number < len(document.pages):
            faults.append(f"page {number}: ends with the heading {texts[-1].text!r}")
    return faults


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every document the PDF views lay out in this test, in order."""
    documents: list[Any] = []
    original = pdf.layout

    def keep(*args: Any, **kwargs: Any) -> Any:
        documents.append(original(*args, **kwargs))
        return documents[-1]

    monkeypatch.setattr(pdf, "layout", keep)
    pdf._shared.clear()
    pdf._stylesheets.cache_clear()  # read again in each test, so that each test hears their warnings
    return documents


def shoot(name: str, body: bytes) -> None:
    """Each page as a PNG in ``$BANSOU_PDF_SHOTS`` (written by pdftoppm, a process of its own)."""
    folder = os.environ.get("BANSOU_PDF_SHOTS")
    if not folder:
        return
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / f"{name}.pdf"
        source.write_bytes(body)
        command = ["pdftoppm", "-png", "-r", "60", str(source), os.path.join(folder, name)]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def assert_fits(
    name: str, client: Client, url: str, laid_out: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        body = pdf_of(client, url)
    shoot(name, body)
    assert laid_out, "the view laid out no document"
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    faults = page_faults(laid_out[-1]) + [f"WeasyPrint warned: {warning}" for warning in warnings]
    assert faults == [], f"{name}:\n" + "\n".join(faults)


# Realistic data ----------------------------------------------------------------------------------

LONG_ORG = "社会福祉法人 みらい共生地域福祉推進協議会 地域包括ケア推進部 重層的支援体制整備事業担当"
ALL_ROLES = ["core_promoter", "coordinator", "advisor", "prefecture_staff", "municipal_staff", "other"]


def mixed(n: int, framework: Framework) -> Callable[[str, Axis], int]:
    """Member ``n``: ○ on most items, × on the items of two elements of their own."""
    gaps = {item.code for item in framework.items() if item.element in (n % 9 + 1, (n + 4) % 9 + 1)}
    return lambda code, axis: 0 if code in gaps and (axis is Axis.PRACTICE or n % 2) else 1


@pytest.fixture
def big_team(municipalities: object, framework: Framework, submitted: Callable[..., Check]) -> Any:
    """A team of eight with long roles and organisation names, every member sharing a check."""
    lead = make_user("lead", "長谷川 麻衣子", furigana="ハセガワ マイコ")
    org = create_organisation(user=lead, name=LONG_ORG, kind="prefecture", prefecture_id="13")
    other = create_organisation(
        user=make_user("staff2", "県庁 職員"),
        name="北海道 上川総合振興局 保健環境部 社会福祉課",
        kind="prefecture",
        prefecture_id="01",
    )
    team = teams.create_team(
        user=lead,
        municipality=Municipality.objects.get(lgcode="131016"),
        fiscal_year=fiscal_year_of(timezone.localdate()),
        organisation=org,
        roles=ALL_ROLES,
    )
    TeamMember.objects.filter(team=team).update(affiliation=org)
    people = [lead]
    names = [
        "佐々木 太一郎",
        "勅使河原 美智子",
        "小笠原 健太郎",
        "五十嵐 由美子",
        "長谷部 誠一郎",
        "西園寺 さくら",
        "大河内 光太郎",
    ]
    for n, name in enumerate(names):
        user = make_user(f"member{n}", name)
        TeamMember.objects.create(
            team=team, user=user, roles=ALL_ROLES[n % 3 :], affiliation=org if n % 2 else other
        )
        people.append(user)
    for n, user in enumerate(people):
        check = submitted(user, mixed(n, framework))
        sharing.share(user=user, audience=Audience.team(team.pk), choice=LATEST, verdicts_to_staff=True)
        plan = Plan.objects.create(owner=user, check_record=check)
        for position, item in enumerate(list(framework.items())[n : n + 3], start=1):
            Step.objects.create(
                plan=plan,
                item_code=item.code,
                position=position,
                action="地区の会議で住民の声を聞き、記録に残す",
            )
        if n < 3:
            sharing.share_plan(plan_id=plan.pk, owner_id=user.pk, team_ids=[team.pk])
    members = list(TeamMember.objects.filter(team=team))
    for element in framework.elements:
        teams.set_assignments(
            team=team, element=element.number, member_ids=[m.pk for m in members[element.number % 8 :][:2]]
        )
    client = Client()
    client.force_login(lead)
    return team, client


# The five PDFs -----------------------------------------------------------------------------------


def test_the_team_pdf_fits(big_team: Any, laid_out: list[Any], caplog: pytest.LogCaptureFixture) -> None:
    team, client = big_team
    assert_fits("team", client, reverse("teams:detail_pdf", args=[team.public_id]), laid_out, caplog)
    names = {box.style["font_size"] for box in classed(laid_out[-1], "map-name")}
    roles = {box.style["font_size"] for box in classed(laid_out[-1], "map-roles")}
    assert names and roles and max(roles) < min(names)  # a member's roles print smaller than the name


def test_the_dialogue_pdf_fits(big_team: Any, laid_out: list[Any], caplog: pytest.LogCaptureFixture) -> None:
    team, client = big_team
    assert_fits("dialogue", client, reverse("teams:dialogue_pdf", args=[team.public_id]), laid_out, caplog)


def test_the_cohort_totals_pdf_fits(
    framework: Framework,
    submitted: Callable[..., Check],
    laid_out: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org: Organisation = create_organisation(
        user=organiser, name=LONG_ORG, kind="prefecture", prefecture_id=None
    )
    cohort = new_cohort(org, organiser, name="令和の地域づくり伴走支援者養成研修（基礎編・実践編 合同）")
    enrol(cohort, 40, submitted, framework, post=40)
    close_phase(cohort=cohort, phase=Phase.PRE)
    close_phase(cohort=cohort, phase=Phase.POST)
    client = Client()
    client.force_login(organiser)
    assert_fits(
        "cohort-totals", client, reverse("cohorts:results_pdf", args=[cohort.public_id]), laid_out, caplog
    )


def test_the_result_pdf_with_a_previous_check_fits(
    owner: User,
    owner_client: Client,
    framework: Framework,
    submitted: Callable[..., Check],
    laid_out: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    submitted(owner, mixed(1, framework))
    check = submitted(owner, mixed(4, framework))
    plan = Plan.objects.create(owner=owner, check_record=check)
    for position, item in enumerate(list(framework.items())[:4], start=1):
        Step.objects.create(
            plan=plan, item_code=item.code, position=position, action="地区の会議で住民の声を聞き、記録に残す"
        )
    url = reverse("checks:result_pdf", args=[check.public_id])
    assert_fits("result", owner_client, url, laid_out, caplog)


def test_the_blank_sheet_pdf_fits(
    framework: Framework, laid_out: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    assert_fits("blank", Client(), reverse("checks:blank_sheet_pdf"), laid_out, caplog)
