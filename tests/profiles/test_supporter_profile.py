"""The supporter profile (支援者プロフィール): filled by the person themself, validated in Japanese,
stored exactly as typed; areas and unavailable periods added and removed one by one."""

from __future__ import annotations

import datetime
import io
import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bansou.accounts.models import User
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.profiles import services
from bansou.profiles.models import SupporterProfile, Unavailability
from tests.conftest import make_user

NOTE = "認知症施策・地域ケア会議（髙橋式）"


@pytest.fixture
def person(municipalities: object) -> User:
    return make_user("supporter", "髙橋　𠮷子", furigana="タカハシ ヨシコ")


@pytest.fixture
def client(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def profile_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "prefectures": ["13", "14"],
        "professions": ["public_health_nurse", "administration"],
        "profession_note": NOTE,
        "core_role": "on",
        "capacity": "2",
    }
    return {**data, **changes}


def test_the_page_asks_an_anonymous_visitor_to_sign_in(db: None) -> None:
    response = Client().get(reverse("profiles:edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_new_profile_starts_empty_and_says_nobody_sees_it(client: Client) -> None:
    response = client.get(reverse("profiles:edit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "支援者プロフィール" in html
    assert "このプロフィールを見られる人はいません" in html
    assert 'name="capacity" value="1"' in html
    assert not SupporterProfile.objects.exists()  # looking makes nothing


def test_saving_the_profile_keeps_what_was_chosen_and_the_text_as_typed(client: Client, person: User) -> None:
    response = client.post(reverse("profiles:edit"), profile_data())
    assert response.status_code == 302
    profile = SupporterProfile.objects.get(user=person)
    assert sorted(p.code for p in profile.prefectures.all()) == ["13", "14"]
    assert profile.professions == ["public_health_nurse", "administration"]
    assert profile.profession_note == NOTE
    assert (profile.core_role, profile.capacity) == (True, 2)

    html = client.get(reverse("profiles:edit")).content.decode()
    assert "支援者プロフィールを保存しました。" in html
    checked = set(re.findall(r'<input type="checkbox" name="prefectures" value="(\d+)"[^>]*checked', html))
    assert checked == {"13", "14"}

    client.post(reverse("profiles:edit"), profile_data(prefectures=["27"], core_role="", capacity="1"))
    profile.refresh_from_db()
    assert [p.code for p in profile.prefectures.all()] == ["27"]
    assert (profile.core_role, profile.capacity) == (False, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "1 以上"),
        ({"capacity": "11"}, "10 以下"),
        ({"capacity": ""}, "このフィールドは必須です"),
        ({"professions": ["astronaut"]}, "正しく選択してください"),
        ({"prefectures": ["99"]}, "正しく選択してください"),
    ],
    ids=["zero", "eleven", "empty", "unknown profession", "unknown prefecture"],
)
def test_a_wrong_profile_is_refused_in_japanese_and_nothing_is_saved(
    client: Client, changes: dict[str, object], message: str
) -> None:
    response = client.post(reverse("profiles:edit"), profile_data(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert "入力内容を確認してください" in html
    assert message in html
    assert not SupporterProfile.objects.exists()


def test_a_municipality_is_added_by_its_code_and_removed(client: Client, person: User) -> None:
    response = client.post(reverse("profiles:add_area"), {"municipality": "１３１０１６"})  # full-width
    assert response.status_code == 302
    assert [m.lgcode for m in SupporterProfile.objects.get(user=person).municipalities.all()] == ["131016"]
    html = client.get(reverse("profiles:edit")).content.decode()
    assert "東京都 千代田区（131016）" in html

    client.post(reverse("profiles:remove_area", args=["131016"]))
    assert not SupporterProfile.objects.get(user=person).municipalities.exists()


def test_the_picker_hands_its_choice_back_to_the_form(client: Client) -> None:
    html = client.get(reverse("profiles:edit"), {"municipality": "131016"}).content.decode()
    assert 'name="municipality" value="131016"' in html
    assert "選んだ市町村：" in html
    assert f"{reverse('places:municipalities')}?next={reverse('profiles:edit')}" in html


@pytest.mark.parametrize(
    ("code", "message"),
    [("131017", "団体コードが正しくありません"), ("", "このフィールドは必須です")],
    ids=["bad check digit", "empty"],
)
def test_a_wrong_municipality_code_is_refused(client: Client, code: str, message: str) -> None:
    response = client.post(reverse("profiles:add_area"), {"municipality": code})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupporterProfile.objects.exists()


def test_periods_are_added_in_order_and_one_can_remove_only_ones_own(client: Client, person: User) -> None:
    for start, end in (("2027-02-01", "2027-02-28"), ("2026-12-24", "2026-12-24")):
        assert client.post(reverse("profiles:add_period"), {"start": start, "end": end}).status_code == 302
    periods = list(Unavailability.objects.filter(profile__user=person))
    assert [(p.start.isoformat(), p.end.isoformat()) for p in periods] == [
        ("2026-12-24", "2026-12-24"),
        ("2027-02-01", "2027-02-28"),
    ]
    html = client.get(reverse("profiles:edit")).content.decode()
    assert "2026年12月24日〜2026年12月24日" in html

    stranger = Client()
    stranger.force_login(make_user("stranger", "他人 さん"))
    stranger.post(reverse("profiles:remove_period", args=[periods[0].pk]))
    assert Unavailability.objects.filter(pk=periods[0].pk).exists()

    client.post(reverse("profiles:remove_period", args=[periods[0].pk]))
    assert not Unavailability.objects.filter(pk=periods[0].pk).exists()


def test_a_period_that_ends_before_it_starts_is_refused(client: Client) -> None:
    response = client.post(reverse("profiles:add_period"), {"start": "2027-03-01", "end": "2027-02-28"})
    assert response.status_code == 400
    assert "終了日は、開始日と同じ日か、それより後の日にしてください。" in response.content.decode()
    assert not Unavailability.objects.exists()
    with pytest.raises(services.EndBeforeStart):
        services.add_unavailable(user_id=1, start=datetime.date(2027, 3, 1), end=datetime.date(2027, 2, 28))


def test_the_database_refuses_a_period_backwards_and_a_capacity_out_of_range(person: User) -> None:
    profile = SupporterProfile.objects.create(user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.create(
            profile=profile, start=datetime.date(2027, 3, 1), end=datetime.date(2027, 2, 28)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupporterProfile.objects.filter(pk=profile.pk).update(capacity=0)
    assert SupporterProfile._meta.get_field("capacity").default == 1


def test_the_page_names_the_organisations_whose_staff_see_it(client: Client, person: User) -> None:
    staff = make_user("staff", "県庁 四郎")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    other = create_organisation(user=staff, name="大阪府 福祉部", kind="prefecture", prefecture_id="27")
    Membership.objects.create(organisation=org, user=person, role="supporter", in_pool=True)
    Membership.objects.create(organisation=other, user=person, role="supporter", in_pool=False)
    html = client.get(reverse("profiles:edit")).content.decode()
    assert "東京都 福祉局" in html
    assert "大阪府 福祉部" not in html


def test_the_account_page_leads_to_the_profile(client: Client) -> None:
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("profiles:edit") in html


def test_my_data_carries_the_profile_in_json_and_xlsx(client: Client, person: User, version: object) -> None:
    client.post(reverse("profiles:edit"), profile_data())
    client.post(reverse("profiles:add_area"), {"municipality": "131016"})
    client.post(reverse("profiles:add_period"), {"start": "2027-01-04", "end": "2027-01-08"})

    data = json.loads(client.get(reverse("accounts:my_json")).content)
    assert data["supporter_profile"] == {
        "prefectures": ["東京都", "神奈川県"],
        "municipalities": [{"code": "131016", "name": "東京都 千代田区"}],
        "professions": ["public_health_nurse", "administration"],
        "profession_names": ["保健師", "行政経験"],
        "profession_note": NOTE,
        "core_role": True,
        "capacity": 2,
        "unavailable": [{"start": "2027-01-04", "end": "2027-01-08"}],
    }
    response = client.get(reverse("accounts:my_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    rows = [tuple(r) for r in book["支援者プロフィール"].iter_rows(values_only=True)]
    assert ("項目", "内容") in rows
    assert ("職種・分野", "保健師、行政経験") in rows
    assert ("そのほかの専門・得意分野", NOTE) in rows
    assert ("対応できない期間", "2027-01-04〜2027-01-08") in rows


def test_someone_without_a_profile_exports_none(client: Client) -> None:
    data = json.loads(client.get(reverse("accounts:my_json")).content)
    assert data["supporter_profile"] is None
