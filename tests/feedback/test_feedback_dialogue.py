"""The largest differences of a closed request on a team's dialogue sheet, by the supporter's choice:
one of their own teams, only the items and their place (never counts, never comments), withdrawn at
will, gone when they leave the team, and at a cost that does not grow with the members who shared."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.feedback import PLACE_WORDS, Place
from bansou.domain.framework import Framework
from bansou.feedback import personal_data
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.frameworks.models import FrameworkVersion
from bansou.teams import services as teams
from bansou.teams.models import TeamMember
from tests.conftest import make_user
from tests.feedback.closed import closed_request, codes_of
from tests.teams.conftest import World, build_world
from tests.teams.test_queries import DIALOGUE_PAGE

pytestmark = pytest.mark.django_db

HEADING = "他者からのフィードバックで違いが大きかった項目"


@pytest.fixture
def world(municipalities: object, framework: Framework, submitted: Callable[..., Check]) -> World:
    return build_world(framework, submitted)


@pytest.fixture
def asked(world: World, version: FrameworkVersion, framework: Framework) -> FeedbackRequest:
    """The team's coordinator (persona "owner") closed a request; a rater left a comment."""
    made = closed_request(world.people["owner"], version, framework, world.checks["owner"])
    answer = Answer.objects.create(request=made, group="municipal", marks={})
    Comment.objects.create(answer=answer, item_code=made.items[0], text="会議での進め方が丁寧でした")
    return made


def share(client: Client, asked: FeedbackRequest, team: str) -> int:
    return client.post(
        reverse("feedback:share_with_team", args=[asked.public_id]), {"team": team}
    ).status_code


def sheet(world: World) -> str:
    page = world.client("lead").get(reverse("teams:dialogue", args=[world.team.public_id]))
    assert page.status_code == 200
    return page.content.decode()


def item_names(framework: Framework, codes: list[str]) -> list[str]:
    by_code = {i.code: i for i in framework.items()}
    return [f"{by_code[c].mark}{by_code[c].name}" for c in codes]


def test_shared_with_their_team_the_leads_sheet_shows_the_items_and_places_only(
    world: World, asked: FeedbackRequest, framework: Framework
) -> None:
    client = world.client("owner")
    page = client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()
    assert "リーダーが「チームの対話シート」で" in page and world.team.listing in page
    assert HEADING not in sheet(world)

    assert share(client, asked, str(world.team.public_id)) == 302

    html = sheet(world)
    assert HEADING in html and "調整 二郎" not in html.split(HEADING)[1]  # only who shared
    section = html.split(HEADING)[1]
    assert "伴走 花子" in section
    apart, other_way, half, agreed = item_names(framework, codes_of(framework))
    assert f"{apart}：{PLACE_WORDS[Place.SELF]}（自分○・周り×）" in section
    assert f"{other_way}：{PLACE_WORDS[Place.OTHERS]}（自分×・周り○）" in section
    assert f"{half}：{PLACE_WORDS[Place.BOTH]}（自分○・周り○）" in section
    assert agreed not in section  # no difference: not among the largest
    for told in ("会議での進め方が丁寧でした", "4人中", "人中", "件の回答", "わからない"):
        assert told not in html
    assert FeedbackRequest.objects.get().shared_with_team == world.team
    exported = personal_data._requests(world.people["owner"])
    assert exported[0]["shared_with_team"] == world.team.listing


def test_a_team_they_are_not_in_is_not_found(world: World, asked: FeedbackRequest) -> None:
    client = world.client("owner")
    assert share(client, asked, str(world.other_team.public_id)) == 404
    assert share(client, asked, "not-a-team") == 404
    assert (
        world.client("lead")
        .post(
            reverse("feedback:share_with_team", args=[asked.public_id]), {"team": str(world.team.public_id)}
        )
        .status_code
        == 404
    )  # someone else's request
    assert FeedbackRequest.objects.get().shared_with_team is None


def test_withdrawn_or_left_the_share_is_gone_from_the_sheet(world: World, asked: FeedbackRequest) -> None:
    client = world.client("owner")
    share(client, asked, str(world.team.public_id))
    assert HEADING in sheet(world)

    assert share(client, asked, "") == 302
    assert HEADING not in sheet(world)
    assert FeedbackRequest.objects.get().shared_with_team is None

    share(client, asked, str(world.team.public_id))
    teams.leave(member=world.members["owner"])
    assert HEADING not in sheet(world)
    assert FeedbackRequest.objects.get().shared_with_team is None  # leaving ends the share: joining again
    page = client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()  # shares nothing
    assert "に共有しています" not in page


def counted(limit: DjangoAssertNumQueries, client: Client, url: str) -> int:
    assert client.get(url).status_code == 200
    with limit(DIALOGUE_PAGE) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_dialogue_page_costs_the_same_whatever_the_number_who_shared(
    world: World,
    asked: FeedbackRequest,
    version: FrameworkVersion,
    framework: Framework,
    submitted: Callable[..., Check],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    lead = world.client("lead")
    url = reverse("teams:dialogue", args=[world.team.public_id])
    share(world.client("owner"), asked, str(world.team.public_id))
    one = counted(django_assert_max_num_queries, lead, url)

    for n in range(6):
        user: User = make_user(f"sharer{n}", f"共有 {n}郎", furigana=f"キョウユウ {n}")
        TeamMember.objects.create(team=world.team, user=user, roles=["advisor"])
        made = closed_request(user, version, framework, submitted(user))
        made.shared_with_team = world.team
        made.save()
    many = counted(django_assert_max_num_queries, lead, url)

    assert one == many
    assert sheet(world).split(HEADING)[1].count("（自分○・周り×）") == 7
