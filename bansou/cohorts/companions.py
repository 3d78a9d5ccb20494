"""研修 beside a person's result: what cohorts contributes to checks' result page (``checks.companions``).

The result offers to hand the check in, in one step, to each 研修 the person takes part in whose phase
is open and not yet handed in, and that the check fits (``services.fits``, the rule ``hand_in``
keeps); the 研修 the check was started from comes first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from bansou.checks.models import Check
from bansou.cohorts.models import Cohort, Participant, Phase, StartedCheck, Submission
from bansou.cohorts.services import fits

TEMPLATE = "cohorts/_result_hand_in.html"


@dataclass(frozen=True)
class Offer:
    """One 研修 the check can be handed in to now, as the phase ``phase``."""

    cohort: Cohort
    phase: str
    label: str  # 事前チェック／事後チェック
    deadline: datetime.date
    started_at: datetime.datetime | None  # when the check was started from this 研修's page, if it was


def result_context(check: Check) -> dict[str, Any]:
    """The offers for the owner's own check (visitors' checks have none). Two queries at most."""
    offers = offers_for(check)
    return {"hand_in_offers": offers, "hand_in_template": TEMPLATE} if offers else {}


def offers_for(check: Check) -> list[Offer]:
    """Per 研修 of the check's version the owner is in: 事前 while it is open and not handed in, else
    事後 while it is open and not handed in, if the check fits beside what was handed in."""
    if check.owner_id is None:
        return []
    started = StartedCheck.objects.filter(participant=OuterRef("pk"), draft_public_id=check.draft_public_id)
    seats = list(
        Participant.objects.filter(user_id=check.owner_id, cohort__framework_id=check.framework_id)
        .select_related("cohort__organisation")
        .annotate(started_at=Subquery(started.values("started_at")[:1]))
    )
    if not seats:
        return []
    handed: dict[int, dict[str, Check]] = {}
    for submission in Submission.objects.filter(participant__in=seats).select_related("check_record"):
        handed.setdefault(submission.participant_id, {})[submission.phase] = submission.check_record
    offers = []
    for seat in seats:
        phase = _open_phase(seat.cohort, check, handed.get(seat.pk, {}))
        if phase is not None:
            label = str(Phase(phase).label)
            offers.append(Offer(seat.cohort, phase, label, seat.cohort.deadline(phase), seat.started_at))
    # The 研修 it was started from first (the latest, if several), then the nearest deadline.
    offers.sort(key=lambda o: o.deadline)
    offers.sort(key=lambda o: o.started_at.timestamp() if o.started_at else 0.0, reverse=True)
    return offers


def _open_phase(cohort: Cohort, check: Check, handed: dict[str, Check]) -> str | None:
    """The phase the check can be handed in for now, if any: 事前 first, as on the 研修's page."""
    for phase, other in ((Phase.PRE, Phase.POST), (Phase.POST, Phase.PRE)):
        if not cohort.is_open(phase) or phase in handed:
            continue
        return phase if fits(phase, check, handed.get(other)) else None
    return None
