"""What several of the 研修 pages share."""

from __future__ import annotations

from django.http import Http404

from bansou.cohorts.models import Phase


def phase_or_404(phase: str) -> str:
    """``phase`` from the URL, if it names a phase (事前, 事後); 404 otherwise."""
    if phase not in Phase.values:
        raise Http404
    return phase
