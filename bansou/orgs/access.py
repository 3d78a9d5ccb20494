"""An organisation for a viewer, by the table in ``bansou.domain.access``: 404 or 403 otherwise."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from bansou.domain.access import OrgAction, OrgRelation, org_decision
from bansou.orgs.models import Membership, Organisation
from bansou.web.http import enforce, parse_id


def org_relation(membership: Membership | None) -> OrgRelation:
    if membership is None:
        return OrgRelation()
    return OrgRelation(
        member=True,
        staff=membership.role == Membership.Role.STAFF,
        admin=membership.role == Membership.Role.ADMIN,
    )


def org_for(request: HttpRequest, public_id: str, action: OrgAction) -> tuple[Organisation, Membership]:
    """The organisation and the viewer's membership, if the table allows ``action``. One query."""
    membership = None
    if request.user.is_authenticated:
        membership = (
            Membership.objects.select_related("organisation")
            .filter(organisation__public_id=parse_id(public_id), user_id=request.user.pk)
            .first()
        )
    enforce(org_decision(org_relation(membership), action))
    assert membership is not None  # allowed implies a member
    return membership.organisation, membership


def may_register(user: object) -> bool:
    """Whether ``user`` may register an organisation (and so become its 管理者, who can issue
    invitations that create accounts): anyone signed in, or with ``ORG_REGISTRATION = "admins"`` only
    the site's administrators."""
    return settings.ORG_REGISTRATION == "anyone" or bool(getattr(user, "is_superuser", False))


def is_staff_somewhere(user_id: int) -> bool:
    """Whether the person is 管理者 or 職員 of an organisation (their session idles out sooner). One query."""
    staff = (Membership.Role.ADMIN, Membership.Role.STAFF)
    return Membership.objects.filter(user_id=user_id, role__in=staff).exists()
