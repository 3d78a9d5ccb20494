"""Reads of one's own supporter profile, and who may read it (a fixed number of queries)."""

from __future__ import annotations

from bansou.orgs.models import Membership, Organisation
from bansou.profiles.models import SupporterProfile


def profile_of(user_id: int) -> SupporterProfile | None:
    """The person's profile with its prefectures, 市町村 and unavailable periods. Four queries (one if
    there is none)."""
    return (
        SupporterProfile.objects.filter(user_id=user_id)
        .prefetch_related("prefectures", "municipalities__prefecture", "unavailable")
        .first()
    )


def readers_of(user_id: int) -> list[Organisation]:
    """The organisations whose staff may read the person's profile: those whose pool they are in. One
    query."""
    return [
        m.organisation
        for m in Membership.objects.filter(user_id=user_id, in_pool=True)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    ]
