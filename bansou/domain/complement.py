"""Who in an organisation's pool could fill a team's gap: the people who practise the wanted elements
and C labels, by the standings of the check they shared with the pool."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from bansou.domain.coverage import Standing


@dataclass(frozen=True)
class Candidate:
    """A person in an organisation's pool, with the standings of the check they shared with it: per
    element (number) and per C label (code)."""

    key: str
    standings: Mapping[int, Standing]
    load: int = 0  # teams they are in, in the 年度 in question
    labels: Mapping[str, Standing] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    fills: tuple[int, ...]  # the wanted elements the candidate practises
    fills_labels: tuple[str, ...] = ()  # the wanted labels (codes) the candidate practises

    @property
    def filled(self) -> int:
        return len(self.fills) + len(self.fills_labels)


def complement(
    wanted: Iterable[int],
    candidates: Iterable[Candidate],
    exclude: Collection[str] = (),
    *,
    labels: Iterable[str] = (),
) -> tuple[Match, ...]:
    """Candidates who practise at least one wanted element or label (by code), not among ``exclude``
    (the team).

    Ordered by how many wanted elements and labels they fill (more first), then by load (lighter
    first); the candidates' own order breaks ties, so the caller decides (e.g. by フリガナ).
    """
    elements = tuple(dict.fromkeys(wanted))
    codes = tuple(dict.fromkeys(labels))
    matches = []
    for candidate in candidates:
        if candidate.key in exclude:
            continue
        fills = tuple(e for e in elements if (s := candidate.standings.get(e)) is not None and s.practised)
        fills_labels = tuple(c for c in codes if (s := candidate.labels.get(c)) is not None and s.practised)
        if fills or fills_labels:
            matches.append(Match(candidate, fills, fills_labels))
    return tuple(sorted(matches, key=lambda m: (-m.filled, m.candidate.load)))
