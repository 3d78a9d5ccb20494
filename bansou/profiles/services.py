"""Writes of the supporter profile: only the person writes their own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from bansou.domain.professions import PROFESSION_CODES
from bansou.places.models import Municipality, Prefecture
from bansou.profiles.models import SupporterProfile, Unavailability


class EndBeforeStart(ValueError):
    """A period ends on or after the day it starts."""


def _own(user_id: int) -> SupporterProfile:
    profile, _ = SupporterProfile.objects.get_or_create(user_id=user_id)
    return profile


@transaction.atomic
def save_profile(
    *,
    user_id: int,
    prefectures: Iterable[Prefecture],
    professions: Iterable[str],
    profession_note: str,
    core_role: bool,
    capacity: int,
) -> SupporterProfile:
    """The person's profile as given (made on first save). Unknown profession codes are refused."""
    chosen = list(dict.fromkeys(professions))
    unknown = set(chosen) - PROFESSION_CODES
    if unknown:
        raise ValueError(f"unknown professions: {sorted(unknown)}")
    profile = _own(user_id)
    profile.professions = chosen
    profile.profession_note = profession_note
    profile.core_role = core_role
    profile.capacity = capacity
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.prefectures.set(list(prefectures))
    return profile


def add_municipality(*, user_id: int, municipality: Municipality) -> None:
    _own(user_id).municipalities.add(municipality)


def remove_municipality(*, user_id: int, lgcode: str) -> None:
    profile = SupporterProfile.objects.filter(user_id=user_id).first()
    if profile is not None:
        profile.municipalities.remove(*Municipality.objects.filter(lgcode=lgcode))


def add_unavailable(*, user_id: int, start: date, end: date) -> Unavailability:
    if end < start:
        raise EndBeforeStart
    return Unavailability.objects.create(profile=_own(user_id), start=start, end=end)


def remove_unavailable(*, user_id: int, period_id: int) -> bool:
    """Removes one of the person's own periods; another person's is left alone. Whether one went."""
    deleted, _ = Unavailability.objects.filter(pk=period_id, profile__user_id=user_id).delete()
    return deleted > 0
