"""Working out label standings for checks stored before they were kept (migrations 0006 and 0007).

For each check, from its answers and its own framework version, by the domain
(``coverage.label_standings_of``), as ``checks.services`` stores them for a new check. A check whose
stored answers do not answer every item of its version has no result to work them out from and gets
none (submitting and paper entry both need every item); nor does a check whose version's stored text
is not a framework file the domain can read (none should be: versions are loaded from such files).
Standings a check already has are left as they are.

Written against the historical models a migration hands over (``apps``), never the app's models.
"""

from __future__ import annotations

from typing import Any

from bansou.domain.coverage import label_standings_of, labels_of
from bansou.domain.framework import Framework
from bansou.domain.framework_fields import FrameworkFileError
from bansou.domain.framework_file import parse_framework
from bansou.domain.scoring import Answer, missing_items, score

BATCH = 500


def backfill(apps: Any, tier: str) -> None:
    """Adds the standings on the labels of ``tier`` that checks lack."""
    Check = apps.get_model("checks", "Check")
    CheckAnswer = apps.get_model("checks", "CheckAnswer")
    CheckLabelStanding = apps.get_model("checks", "CheckLabelStanding")
    frameworks = _Frameworks(apps)
    pending = list(Check.objects.order_by("pk").values_list("pk", "framework_id"))
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        answers: dict[int, dict[str, Answer]] = {pk: {} for pk, _ in batch}
        for check_id, code, understanding, practice in CheckAnswer.objects.filter(
            check_record_id__in=list(answers)
        ).values_list("check_record_id", "item__code", "understanding", "practice"):
            answers[check_id][code] = Answer(understanding, practice)
        rows = []
        for check_id, version_id in batch:
            framework = frameworks.get(version_id)
            if framework is None or missing_items(framework, answers[check_id]):
                continue
            result = score(framework, answers[check_id])
            rows += [
                CheckLabelStanding(
                    check_record_id=check_id,
                    label=code,
                    understood_count=standing.understanding.count,
                    practised_count=standing.practice.count,
                    total=standing.practice.total,
                    understood=standing.understood,
                    practised=standing.practised,
                )
                for code, standing in label_standings_of(framework, result, tier).items()
            ]
        CheckLabelStanding.objects.bulk_create(rows, ignore_conflicts=True)


def remove(apps: Any, tier: str) -> None:
    """Removes the standings on the labels of ``tier`` (of every framework version stored)."""
    frameworks = _Frameworks(apps)
    codes: set[str] = set()
    for version_id in apps.get_model("frameworks", "FrameworkVersion").objects.values_list("pk", flat=True):
        framework = frameworks.get(version_id)
        if framework is not None:
            codes |= {label.code for label in labels_of(framework, tier)}
    apps.get_model("checks", "CheckLabelStanding").objects.filter(label__in=sorted(codes)).delete()


class _Frameworks:
    """Framework versions read once each (None for one the domain cannot read)."""

    def __init__(self, apps: Any) -> None:
        self._versions = apps.get_model("frameworks", "FrameworkVersion")
        self._read: dict[int, Framework | None] = {}

    def get(self, version_id: int) -> Framework | None:
        if version_id not in self._read:
            version = self._versions.objects.get(pk=version_id)
            try:
                self._read[version_id] = parse_framework(
                    version.source_text.encode("utf-8"), source=version.digest[:12]
                ).framework
            except FrameworkFileError:
                self._read[version_id] = None
        return self._read[version_id]
