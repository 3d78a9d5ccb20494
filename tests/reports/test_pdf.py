"""PDF reports, opened with pypdf as a reader would: A4, every font embedded, the Japanese text
extractable, nothing active in the file; one page of each rendered to pixels by pdftoppm."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Axis, Framework
from bansou.plans.models import Plan, Step
from tests.reports.pdfcheck import A4, assert_sound_pdf, pdf_of, render_first_page, squeeze, text_of

pytestmark = pytest.mark.django_db


def first_no(framework: Framework) -> Callable[[str, Axis], int]:
    first = next(framework.items()).code
    return lambda code, axis: 0 if code == first and axis is Axis.PRACTICE else 1


# The personal result ----------------------------------------------------------------------------


def test_the_personal_result_pdf_has_the_page_in_japanese_with_the_font_embedded(
    owner: User, owner_client: Client, submitted: Callable[..., Check], framework: Framework
) -> None:
    submitted(owner, first_no(framework))
    check = submitted(owner)
    text = squeeze(
        assert_sound_pdf(pdf_of(owner_client, reverse("checks:result_pdf", args=[check.public_id])))
    )
    assert "セルフチェックの結果" in text
    for element in framework.elements:
        assert squeeze(element.name) in text
    assert "前回からの変化" in text  # the change since the previous check
    assert "項目ごとの位置" in text  # the 2×2
    assert "ダウンロード" not in text  # no links, buttons or forms on paper
    assert "計画を作る" not in text


def test_the_personal_pdf_carries_the_plan(
    owner: User, owner_client: Client, submitted: Callable[..., Check], framework: Framework
) -> None:
    check = submitted(owner, first_no(framework))
    item = next(framework.items())
    plan = Plan.objects.create(owner=owner, check_record=check)
    Step.objects.create(plan=plan, item_code=item.code, position=1, action="地区の会議で発言してみる")
    text = squeeze(text_of(pdf_of(owner_client, reverse("checks:result_pdf", args=[check.public_id]))))
    assert "次の一歩" in text and "地区の会議で発言してみる" in text


def test_the_personal_pdf_is_only_for_the_checks_holder(
    owner: User, outsider: User, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner)
    url = reverse("checks:result_pdf", args=[check.public_id])
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_pdf_page_renders_to_pixels(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner)
    image = render_first_page(pdf_of(owner_client, reverse("checks:result_pdf", args=[check.public_id])))
    width, height = image.size
    assert abs(width / height - A4[0] / A4[1]) < 0.01
    darkest, lightest = image.convert("L").getextrema()
    assert lightest == 255 and darkest < 100  # paper with ink on it


# The blank check sheet ----------------------------------------------------------------------------


def test_the_blank_sheet_is_a_page_and_an_a4_pdf_with_boxes_for_both_axes(framework: Framework) -> None:
    page = Client().get(reverse("checks:blank_sheet"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="box"') == 2 * len(framework.scale.levels) * len(framework.item_codes())
    text = squeeze(assert_sound_pdf(pdf_of(Client(), reverse("checks:blank_sheet_pdf"))))
    for item in framework.items():
        assert squeeze(item.name)[:20] in text
    assert "理解" in text and "実践" in text
    assert "取り込む" not in text  # the upload form is for the screen only


def test_the_blank_sheet_pdf_is_made_once_and_carries_no_time(version: object) -> None:
    from bansou.reports import pdf

    pdf._shared.clear()
    first = pdf_of(Client(), reverse("checks:blank_sheet_pdf"))
    assert len(pdf._shared) == 1
    assert pdf_of(Client(), reverse("checks:blank_sheet_pdf")) == first  # the same bytes, from memory
    assert "出力" not in squeeze(text_of(first))
