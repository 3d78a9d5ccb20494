"""The sheet page without JavaScript: render, save, stale form, submit, submit twice."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.checks.access import Holder
from bansou.checks.models import Check, CheckAnswer, Draft, DraftCell
from bansou.checks.services import save_cells
from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis, Framework

pytestmark = pytest.mark.django_db


def form_of(html: str) -> dict[str, str]:
    """The fields the browser would post: hidden inputs and checked radios, as rendered."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]*)" checked', html))
    return fields


def sheet_url(draft: Draft) -> str:
    return reverse("checks:sheet", args=[draft.public_id])


def test_shows_every_item_with_a_labelled_control_per_axis(
    owner_client: Client, owner_draft: Draft, framework: Framework
) -> None:
    html = owner_client.get(sheet_url(owner_draft)).content.decode()

    for item in framework.items():
        assert f'id="item-{item.code}"' in html
        for axis in Axis:
            assert f'name="a-{item.code}-{axis.value}"' in html
    assert html.count("<legend>") == 2 * 45
    assert '<span class="visually-hidden">①チーム状況を見立てる力：</span>理解しているか</legend>' in html
    assert "回答済み" in html and "/29" in html and "/16" in html
    assert "チーム力促進の要素" in html and "向上すべきポイント" in html
    assert "リーフレットの表（A・Cの力）から作成したもの" in html
    assert "3 解決方向に向かう力" in html  # the power of each label in the derived sheet


def test_saves_the_answers_posted_by_the_form(owner_client: Client, owner_draft: Draft) -> None:
    fields = form_of(owner_client.get(sheet_url(owner_draft)).content.decode())
    fields.update({"a-2-1-understanding": "1", "a-2-1-practice": "0", "action": "save"})

    response = owner_client.post(sheet_url(owner_draft), fields)

    assert response.status_code == 302
    assert DraftCell.objects.get(draft=owner_draft, item_code="2-1", axis="understanding").value == 1
    assert DraftCell.objects.get(draft=owner_draft, item_code="2-1", axis="practice").value == 0
    assert (
        '回答済み <span data-progress="checklist">1</span>/29'
        in owner_client.get(sheet_url(owner_draft)).content.decode()
    )


def test_a_stale_form_does_not_overwrite_answers_changed_elsewhere(
    owner_client: Client, owner_draft: Draft
) -> None:
    stale = form_of(owner_client.get(sheet_url(owner_draft)).content.decode())
    save_cells(draft=owner_draft, edits=[Edit("2-1", Axis.PRACTICE, 1, 0), Edit("2-2", Axis.PRACTICE, 1, 0)])
    # The stale tab changes 2-1 (conflict) and leaves 2-2 as it was shown (not an edit).
    stale.update({"a-2-1-practice": "0", "a-2-3-practice": "1", "action": "save"})

    response = owner_client.post(sheet_url(owner_draft), stale)

    assert response.status_code == 409
    assert "保存できなかった回答があります" in response.content.decode()
    values = dict(
        DraftCell.objects.filter(draft=owner_draft, axis="practice").values_list("item_code", "value")
    )
    assert (values["2-1"], values["2-2"], values["2-3"]) == (1, 1, 1)


def test_refuses_to_submit_with_unanswered_items_and_lists_them(
    owner_client: Client, owner_draft: Draft
) -> None:
    fields = form_of(owner_client.get(sheet_url(owner_draft)).content.decode())
    fields.update({"a-2-1-understanding": "1", "a-2-1-practice": "1", "action": "submit"})

    response = owner_client.post(sheet_url(owner_draft), fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert "まだ回答していない項目があります" in html
    assert '<a href="#item-2-2">2 関係性を整え、チームを前に進める力：②対立に介入する力</a>' in html
    assert '<a href="#item-2-1">' not in html
    assert not Check.objects.exists()


def answer_everything(client: Client, draft: Draft) -> dict[str, str]:
    fields = form_of(client.get(sheet_url(draft)).content.decode())
    for name in [n for n in fields if n.startswith("b-")]:
        fields["a-" + name[2:]] = "1"
    fields["action"] = "submit"
    return fields


def test_submitting_makes_one_dated_check_bound_to_the_framework_version(
    owner_client: Client, owner_draft: Draft
) -> None:
    response = owner_client.post(sheet_url(owner_draft), answer_everything(owner_client, owner_draft))

    check = Check.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("checks:result", args=[check.public_id])
    assert check.framework == owner_draft.framework
    assert check.submitted_at is not None
    assert CheckAnswer.objects.filter(check_record=check).count() == 45
    assert not Draft.objects.exists()


def test_submitting_twice_makes_one_check_and_shows_it_again(
    owner_client: Client, owner_draft: Draft
) -> None:
    fields = answer_everything(owner_client, owner_draft)

    first = owner_client.post(sheet_url(owner_draft), fields)
    second = owner_client.post(sheet_url(owner_draft), fields)

    assert Check.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_new_check_after_submitting_starts_from_a_new_draft(
    owner_client: Client, owner_draft: Draft
) -> None:
    owner_client.post(sheet_url(owner_draft), answer_everything(owner_client, owner_draft))

    response = owner_client.post(reverse("checks:start"))

    new_draft = Draft.objects.get()
    assert new_draft.public_id != owner_draft.public_id
    assert response["Location"] == sheet_url(new_draft)
    assert not DraftCell.objects.filter(draft=new_draft, value__isnull=False).exists()


def test_start_resumes_the_open_draft(owner_client: Client, owner_draft: Draft) -> None:
    response = owner_client.post(reverse("checks:start"))

    assert response["Location"] == sheet_url(owner_draft)
    assert "回答を始める" in owner_client.get(reverse("home")).content.decode()  # nothing answered yet


def test_a_submitted_check_has_no_way_to_change_it(owner_client: Client, owner_draft: Draft) -> None:
    owner_client.post(sheet_url(owner_draft), answer_everything(owner_client, owner_draft))
    check = Check.objects.get()
    result_url = reverse("checks:result", args=[check.public_id])

    assert owner_client.post(result_url, {"a-2-1-understanding": "0"}).status_code == 405
    assert (
        owner_client.post(sheet_url(owner_draft), {"a-2-1-understanding": "0", "b-2-1-understanding": "1:1"})[
            "Location"
        ]
        == result_url
    )
    assert set(CheckAnswer.objects.values_list("understanding", flat=True)) == {1}


def test_drafts_of_two_holders_are_separate(owner_draft: Draft, outsider: object) -> None:
    from bansou.checks.services import get_or_start_draft

    other = get_or_start_draft(holder=Holder(user_id=outsider.pk), version=owner_draft.framework)  # type: ignore[attr-defined]

    assert other.pk != owner_draft.pk


def test_answers_posted_after_the_session_expired_are_saved_after_logging_in_again(
    owner_client: Client, owner_draft: Draft
) -> None:
    fields = form_of(owner_client.get(sheet_url(owner_draft)).content.decode())
    fields.update({"a-2-1-understanding": "1", "action": "save"})
    expired = Client()  # the same browser, its session gone

    response = expired.post(sheet_url(owner_draft), fields)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert DraftCell.objects.get(draft=owner_draft, item_code="2-1", axis="understanding").value is None
    login = expired.post(response["Location"], {"username": "owner", "password": "pass-word-1234"})
    assert login["Location"] == sheet_url(owner_draft)
    expired.get(sheet_url(owner_draft))
    assert DraftCell.objects.get(draft=owner_draft, item_code="2-1", axis="understanding").value == 1


def test_answers_kept_for_a_login_are_not_given_to_someone_elses_draft(
    owner_draft: Draft, outsider: object
) -> None:
    stranger = Client()
    stranger.post(sheet_url(owner_draft), {"a-2-1-understanding": "1", "b-2-1-understanding": "0:"})
    stranger.post(reverse("accounts:login"), {"username": "outsider", "password": "pass-word-1234"})

    assert stranger.get(sheet_url(owner_draft)).status_code == 404
    assert DraftCell.objects.get(draft=owner_draft, item_code="2-1", axis="understanding").value is None


def test_home_links_to_the_latest_result(
    owner_client: Client, owner: object, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner)

    html = owner_client.get(reverse("home")).content.decode()

    assert reverse("checks:result", args=[check.public_id]) in html
    assert "の結果を見る" in html


def test_opening_a_submitted_draft_again_shows_its_result(owner_client: Client, owner_draft: Draft) -> None:
    owner_client.post(sheet_url(owner_draft), answer_everything(owner_client, owner_draft))
    check = Check.objects.get()

    response = owner_client.get(sheet_url(owner_draft))

    assert response["Location"] == reverse("checks:result", args=[check.public_id])


def test_resume_finds_a_draft_started_on_an_older_framework_version(
    owner_client: Client, owner_draft: Draft, tmp_path: object
) -> None:
    from pathlib import Path

    from django.conf import settings

    from bansou.frameworks.services import load_framework_file

    source = Path(settings.FRAMEWORK_DATA_DIR) / "leaflet-2025.toml"
    newer = Path(str(tmp_path)) / "leaflet-2026.toml"
    newer.write_text(
        source.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"'),
        encoding="utf-8",
    )
    load_framework_file(newer)

    response = owner_client.post(reverse("checks:start"))

    assert response["Location"] == sheet_url(owner_draft)
    assert "回答を始める" in owner_client.get(reverse("home")).content.decode()  # nothing answered yet


def test_the_sheet_is_never_cached_nor_autofilled(owner_client: Client, owner_draft: Draft) -> None:
    response = owner_client.get(sheet_url(owner_draft))

    assert "no-store" in response["Cache-Control"]
    assert 'id="sheet-form" autocomplete="off"' in response.content.decode()
