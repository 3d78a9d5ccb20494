"""A check and its draft are visible only to their holder: everyone else gets 404.

One table per rule, viewer x expected status (PRODUCT.md: private by default). Every answer, whatever
its status, is kept by no cache, and HEAD on a page answers as GET does (``tests/caching.py``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.access import SESSION_KEY, Holder
from bansou.checks.models import Check, Draft
from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
from bansou.frameworks.models import FrameworkVersion
from tests.caching import get_and_head, private
from tests.conftest import all_edits, make_user

pytestmark = pytest.mark.django_db

VIEWERS = ["owner", "outsider", "administrator", "anonymous", "other_visitor"]


@pytest.fixture
def clients(version: FrameworkVersion) -> dict[str, Client]:
    owner = make_user("owner", "伴走 花子")
    outsider = make_user("outsider", "外部 太郎")
    admin = User.objects.create_superuser(
        username="admin", password="pass-word-1234", display_name="管理 一郎"
    )
    result: dict[str, Client] = {}
    for name, user in (("owner", owner), ("outsider", outsider), ("administrator", admin)):
        result[name] = Client()
        result[name].force_login(user)
    result["anonymous"] = Client()
    result["visitor"] = visitor_client("visitor-key")
    result["other_visitor"] = visitor_client("another-visitor-key")
    return result


def visitor_client(key: str) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = key
    session.save()
    client.cookies["sessionid"] = session.session_key  # type: ignore[assignment]
    return client


def holder_of(name: str) -> Holder:
    if name == "visitor":
        return Holder(anon_key="visitor-key")
    return Holder(user_id=User.objects.get(username=name).pk)


def make_draft(version: FrameworkVersion, holder: Holder) -> Draft:
    return get_or_start_draft(holder=holder, version=version)


def make_check(version: FrameworkVersion, holder: Holder) -> Check:
    from bansou.frameworks.queries import framework_of

    draft = make_draft(version, holder)
    save_cells(draft=draft, edits=all_edits(framework_of(version)))
    return submit_draft(draft=draft, holder=holder)


def get_sheet(client: Client, draft: Draft) -> int:
    return get_and_head(client, reverse("checks:sheet", args=[draft.public_id])).status_code


def post_sheet(client: Client, draft: Draft) -> int:
    url = reverse("checks:sheet", args=[draft.public_id])
    return private(client.post(url, {"action": "save"})).status_code


def post_autosave(client: Client, draft: Draft) -> int:
    body = {"edits": [{"item": "2-1", "axis": "practice", "value": 1, "base_revision": 0}]}
    url = reverse("checks:autosave", args=[draft.public_id])
    return private(client.post(url, json.dumps(body), content_type="application/json")).status_code


def get_draft_xlsx(client: Client, draft: Draft) -> int:
    return get_and_head(client, reverse("checks:draft_xlsx", args=[draft.public_id])).status_code


DRAFT_ACTIONS: dict[str, Callable[[Client, Draft], int]] = {
    "view sheet": get_sheet,
    "save sheet": post_sheet,
    "autosave": post_autosave,
    "draft as xlsx": get_draft_xlsx,
}

# viewer -> expected status, per action on the OWNER's draft (a signed-in supporter's).
# Without a signed-in session the page is most likely one whose session expired: it is sent to log
# in (302) or told to (403), whatever the id, so nothing is learnt about which drafts exist.
OWNER_DRAFT = {
    "view sheet": {
        "owner": 200,
        "outsider": 404,
        "administrator": 404,
        "anonymous": 302,
        "other_visitor": 302,
    },
    "save sheet": {
        "owner": 302,
        "outsider": 404,
        "administrator": 404,
        "anonymous": 302,
        "other_visitor": 302,
    },
    "autosave": {"owner": 200, "outsider": 404, "administrator": 404, "anonymous": 403, "other_visitor": 403},
    "draft as xlsx": {
        "owner": 200,
        "outsider": 404,
        "administrator": 404,
        "anonymous": 404,
        "other_visitor": 404,
    },
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("action", list(DRAFT_ACTIONS))
def test_owner_draft(clients: dict[str, Client], version: FrameworkVersion, action: str, viewer: str) -> None:
    draft = make_draft(version, holder_of("owner"))

    assert DRAFT_ACTIONS[action](clients[viewer], draft) == OWNER_DRAFT[action][viewer]


VISITOR_DRAFT = {
    "view sheet": {"visitor": 200, "owner": 404, "outsider": 404, "anonymous": 302, "other_visitor": 302},
    "save sheet": {"visitor": 302, "owner": 404, "outsider": 404, "anonymous": 302, "other_visitor": 302},
    "autosave": {"visitor": 200, "owner": 404, "outsider": 404, "anonymous": 403, "other_visitor": 403},
    "draft as xlsx": {"visitor": 200, "owner": 404, "outsider": 404, "anonymous": 404, "other_visitor": 404},
}


@pytest.mark.parametrize("viewer", ["visitor", "owner", "outsider", "anonymous", "other_visitor"])
@pytest.mark.parametrize("action", list(DRAFT_ACTIONS))
def test_visitor_draft(
    clients: dict[str, Client], version: FrameworkVersion, action: str, viewer: str
) -> None:
    draft = make_draft(version, holder_of("visitor"))

    assert DRAFT_ACTIONS[action](clients[viewer], draft) == VISITOR_DRAFT[action][viewer]


RESULT = {
    "owner": 200,
    "outsider": 404,
    "administrator": 404,
    "anonymous": 404,
    "other_visitor": 404,
    "visitor": 404,
}


@pytest.mark.parametrize("viewer", list(RESULT))
def test_owner_check_result(clients: dict[str, Client], version: FrameworkVersion, viewer: str) -> None:
    check = make_check(version, holder_of("owner"))

    assert (
        get_and_head(clients[viewer], reverse("checks:result", args=[check.public_id])).status_code
        == RESULT[viewer]
    )
    pdf_url = reverse("checks:result_pdf", args=[check.public_id])
    assert get_and_head(clients[viewer], pdf_url).status_code == RESULT[viewer]


VISITOR_RESULT = {"visitor": 200, "owner": 404, "outsider": 404, "anonymous": 404, "other_visitor": 404}


@pytest.mark.parametrize("viewer", list(VISITOR_RESULT))
def test_visitor_check_result(clients: dict[str, Client], version: FrameworkVersion, viewer: str) -> None:
    check = make_check(version, holder_of("visitor"))

    url = reverse("checks:result", args=[check.public_id])
    assert get_and_head(clients[viewer], url).status_code == VISITOR_RESULT[viewer]
    pdf_url = reverse("checks:result_pdf", args=[check.public_id])
    assert get_and_head(clients[viewer], pdf_url).status_code == VISITOR_RESULT[viewer]


@pytest.mark.parametrize(("viewer", "sheet_status"), [("owner", 404), ("outsider", 404), ("anonymous", 302)])
@pytest.mark.parametrize("bad_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_ids_look_the_same_as_other_peoples(
    clients: dict[str, Client], viewer: str, sheet_status: int, bad_id: str
) -> None:
    assert get_and_head(clients[viewer], reverse("checks:result", args=[bad_id])).status_code == 404
    assert get_and_head(clients[viewer], reverse("checks:sheet", args=[bad_id])).status_code == sheet_status


def test_history_lists_only_the_viewers_own_checks(
    clients: dict[str, Client], version: FrameworkVersion
) -> None:
    mine = make_check(version, holder_of("owner"))
    theirs = make_check(version, holder_of("outsider"))

    html = clients["owner"].get(reverse("checks:history")).content.decode()

    assert str(mine.public_id) in html
    assert str(theirs.public_id) not in html
