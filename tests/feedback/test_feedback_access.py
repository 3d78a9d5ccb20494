"""Who may open which feedback page (issue 16): a request is its supporter's alone. Another supporter,
staff of an organisation the supporter belongs to, and someone not signed in learn nothing of it (404,
or the login page); a rater reaches the answer form only with a link that is still open, exchanged
for a session. Each table row is one address and method, with the status each viewer gets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bansou.domain.feedback import Mark, RaterGroup
from bansou.feedback import services
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.frameworks.models import FrameworkVersion
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from tests.conftest import make_user, sign_in_verified
from tests.feedback.requests_made import (
    answer_by,
    answer_form,
    new_request,
    rater_with_session,
    signed_in,
    supporter,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the login page
VIEWERS = ("owner", "another_supporter", "org_admin", "org_staff", "anonymous")

# address, method, then the status for each of VIEWERS. The owner's rows run in this order (close last).
SUPPORTER_TABLE: list[tuple[str, str, tuple[int | str, ...]]] = [
    ("mine", "get", (200, 200, 200, 200, LOGIN)),  # each signed-in person's own list
    ("new", "get", (200, 200, 200, 200, LOGIN)),  # each signed-in person's own form
    ("detail", "get", (200, 404, 404, 404, LOGIN)),
    ("sheet", "get", (200, 404, 404, 404, LOGIN)),  # the answer sheet without a code
    ("paper", "get", (200, 404, 404, 404, LOGIN)),
    ("paper", "post", (302, 404, 404, 404, LOGIN)),
    ("more_links", "post", (302, 404, 404, 404, LOGIN)),
    ("close", "post", (302, 404, 404, 404, LOGIN)),
    ("hide_comment", "post", (302, 404, 404, 404, LOGIN)),  # after close: only comments the page shows
    # After close: the comparison's downloads, 次の一歩 from it, the team share (withdrawn: none chosen).
    ("comparison_xlsx", "get", (200, 404, 404, 404, LOGIN)),
    ("comparison_csv", "get", (200, 404, 404, 404, LOGIN)),
    ("comments_csv", "get", (200, 404, 404, 404, LOGIN)),
    ("next_step", "post", (302, 404, 404, 404, LOGIN)),
    ("share_with_team", "post", (302, 404, 404, 404, LOGIN)),
]


def world(version: FrameworkVersion) -> dict[str, Any]:
    """A supporter in an organisation, their request with three answers (one with a comment) and two
    links left, and the people who look at it."""
    owner = supporter(version)
    asked, issued = new_request(owner, version, {RaterGroup.MUNICIPAL: 5})
    for n, link in enumerate(issued[:3]):  # one in three sees it: self and others differ on every item
        answer_by(link, Mark.SEEN if n == 0 else Mark.NOT_YET, comment="よく聞いてくださる" if n == 0 else "")
    admin = make_user("orgadmin", "組織 管理子")
    org = create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    Membership.objects.create(organisation=org, user=owner, role=Membership.Role.SUPPORTER)
    staff = make_user("orgstaff", "組織 職員")
    Membership.objects.create(organisation=org, user=staff, role=Membership.Role.STAFF)
    another = supporter(version, username="suzuki", display_name="鈴木 一郎")
    Membership.objects.create(organisation=org, user=another, role=Membership.Role.SUPPORTER)
    clients = {
        "owner": signed_in(owner),
        "another_supporter": signed_in(another),
        "org_admin": sign_in_verified(Client(), admin),
        "org_staff": sign_in_verified(Client(), staff),
        "anonymous": Client(),
    }
    return {"asked": asked, "issued": issued, "clients": clients}


def address(name: str, asked: FeedbackRequest) -> str:
    if name in {"mine", "new"}:
        return reverse(f"feedback:{name}")
    if name == "hide_comment":
        comment = Comment.objects.get(answer__request=asked)
        return reverse("feedback:hide_comment", args=[asked.public_id, comment.public_id])
    return reverse(f"feedback:{name}", args=[asked.public_id])


def body(name: str, asked: FeedbackRequest) -> dict[str, str]:
    return {
        "paper": answer_form(asked) | {"group": RaterGroup.OTHER.value},
        "more_links": {"count": "2", "group": RaterGroup.TEAMMATE.value},
        "hide_comment": {"hidden": "1"},
        "share_with_team": {"team": ""},
    }.get(name, {})


def state_of(asked: FeedbackRequest) -> tuple[Any, ...]:
    asked.refresh_from_db()
    links = Invitation.objects.filter(kind=Kind.FEEDBACK, target_id=asked.pk).count()
    hidden = Comment.objects.filter(answer__request=asked, hidden=True).count()
    return asked.closed_at, asked.comparison, Answer.objects.filter(request=asked).count(), links, hidden


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_supporter_pages_answer_each_viewer_as_the_table_says(
    version: FrameworkVersion, viewer: str
) -> None:
    made = world(version)
    asked, client = made["asked"], made["clients"][viewer]
    before = state_of(asked)
    column = VIEWERS.index(viewer)
    for name, method, expected in SUPPORTER_TABLE:
        url = address(name, asked)
        response = getattr(client, method)(url, body(name, asked))
        want = expected[column]
        where = f"{viewer} {method.upper()} {name}"
        if want == LOGIN:
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse("accounts:login")), where
        else:
            assert response.status_code == want, f"{where}: {response.status_code}"
        if name == "mine":
            assert (str(asked.public_id) in response.content.decode()) is (viewer == "owner"), where
    if viewer == "owner":
        after = state_of(asked)
        assert after[0] is not None and after[2] == 4 and after[3] == 7 and after[4] == 1
    else:
        assert state_of(asked) == before  # nothing done on their behalf


def test_every_supporter_address_is_in_the_table() -> None:
    """A new page of the supporter's must be given its row, or nobody checks who may open it."""
    from bansou.feedback import urls

    named = {pattern.name for pattern in urls.urlpatterns}
    assert named == {name for name, _method, _expected in SUPPORTER_TABLE}


def without_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def test_a_request_that_does_not_exist_is_the_same_404_as_someone_elses(version: FrameworkVersion) -> None:
    made = world(version)
    asked, client = made["asked"], made["clients"]["another_supporter"]
    theirs = client.get(reverse("feedback:detail", args=[asked.public_id]))
    nobodys = client.get(reverse("feedback:detail", args=["00000000-0000-4000-8000-000000000000"]))
    assert theirs.status_code == nobodys.status_code == 404
    assert without_tokens(theirs.content) == without_tokens(nobodys.content)  # nothing tells them apart


# The rater's pages --------------------------------------------------------------------------------


def used(made: dict[str, Any]) -> str:
    return str(made["issued"][0].code)  # answered already (by another browser)


def closed(made: dict[str, Any]) -> str:
    services.close(made["asked"])
    return str(made["issued"][3].code)  # never used, but its request closed


def mistyped(made: dict[str, Any]) -> str:
    code = str(made["issued"][3].code)
    return code[:-1] + ("A" if code[-1] != "A" else "B")


PUBLIC_TABLE = [  # the link, then: the code's POST to /f/, then a GET of the answer form
    ("used", used, 410, 302),
    ("closed", closed, 410, 302),
    ("mistyped", mistyped, 404, 302),
]


def test_a_rater_with_an_open_link_reaches_the_form_answers_once_and_is_thanked(
    version: FrameworkVersion,
) -> None:
    made = world(version)
    asked, code = made["asked"], made["issued"][3].code
    assert Client().get(reverse("feedback_public:start")).status_code == 200
    rater = rater_with_session(code)  # 302 to the answer page
    assert code not in rater.get(rater.answer_url).content.decode()
    assert rater.get(rater.answer_url).status_code == 200
    sent = rater.post(rater.answer_url, answer_form(asked, Mark.NOT_YET))
    assert sent.status_code == 302 and sent["Location"] == reverse("feedback_public:thanks")
    assert rater.get(reverse("feedback_public:thanks")).status_code == 200
    assert Answer.objects.filter(request=asked).count() == 4
    assert rater.get(reverse("feedback:detail", args=[asked.public_id])).status_code == 302  # login
    assert Client().get(reverse("feedback_public:thanks"))["Location"] == reverse("feedback_public:start")


@pytest.mark.parametrize(
    ("name", "link", "start", "form"), PUBLIC_TABLE, ids=[row[0] for row in PUBLIC_TABLE]
)
def test_a_rater_without_an_open_link_is_refused(
    version: FrameworkVersion, name: str, link: Any, start: int, form: int
) -> None:
    made = world(version)
    rater = Client()
    response = rater.post(reverse("feedback_public:start"), {"code": link(made)})
    assert response.status_code == start
    never_opened = "/f/answer/none-opened/"
    answer = rater.get(never_opened)
    assert answer.status_code == form and answer["Location"] == reverse("feedback_public:start")
    sent = rater.post(never_opened, answer_form(made["asked"]))
    assert sent.status_code == 302 and Answer.objects.filter(request=made["asked"]).count() == 3


def test_a_rater_whose_request_closes_while_the_form_is_open_is_refused(version: FrameworkVersion) -> None:
    made = world(version)
    rater = rater_with_session(made["issued"][3].code)
    services.close(made["asked"])
    assert rater.get(rater.answer_url).status_code == 410
    assert rater.post(rater.answer_url, answer_form(made["asked"])).status_code == 410
    assert Answer.objects.filter(request=made["asked"]).count() == 3


def test_the_supporter_cannot_answer_their_own_request(version: FrameworkVersion) -> None:
    made = world(version)
    owner = made["clients"]["owner"]
    opened = owner.post(reverse("feedback_public:start"), {"code": made["issued"][3].code})
    assert opened.status_code == 302
    assert owner.get(opened["Location"]).status_code == 403
    assert owner.post(opened["Location"], answer_form(made["asked"])).status_code == 403
    assert Answer.objects.filter(request=made["asked"]).count() == 3
