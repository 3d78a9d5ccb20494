"""Works out the C label standings (C-1…C-9) of the checks stored before label standings were.

Forward: every check without label standings gets them from its answers and its own framework
version, by the domain (``coverage.label_standings_of``), as ``checks.services`` stores them for a
new check. A check whose stored answers do not answer every item of its version has no result to
work them out from and gets none (submitting and paper entry both need every item); nor does a
check whose version's stored text is not a framework file the domain can read (none should be:
versions are loaded from such files). Backward: the
label standings are removed (forward again works them out anew: checks never change).
"""

from django.db import migrations

from bansou.domain.coverage import label_standings_of
from bansou.domain.framework_fields import FrameworkFileError
from bansou.domain.framework_file import parse_framework
from bansou.domain.scoring import Answer, missing_items, score

BATCH = 500


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Check = apps.get_model("checks", "Check")
    CheckAnswer = apps.get_model("checks", "CheckAnswer")
    CheckLabelStanding = apps.get_model("checks", "CheckLabelStanding")
    FrameworkVersion = apps.get_model("frameworks", "FrameworkVersion")
    frameworks = {}
    pending = list(
        Check.objects.filter(label_standings__isnull=True)
        .order_by("pk")
        .values_list("pk", "framework_id")
        .distinct()
    )
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        answers: dict[int, dict[str, Answer]] = {pk: {} for pk, _ in batch}
        for check_id, code, understanding, practice in CheckAnswer.objects.filter(
            check_record_id__in=list(answers)
        ).values_list("check_record_id", "item__code", "understanding", "practice"):
            answers[check_id][code] = Answer(understanding, practice)
        rows = []
        for check_id, version_id in batch:
            if version_id not in frameworks:
                version = FrameworkVersion.objects.get(pk=version_id)
                try:
                    frameworks[version_id] = parse_framework(
                        version.source_text.encode("utf-8"), source=version.digest[:12]
                    ).framework
                except FrameworkFileError:
                    frameworks[version_id] = None
            framework = frameworks[version_id]
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
                for code, standing in label_standings_of(framework, result).items()
            ]
        CheckLabelStanding.objects.bulk_create(rows)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("checks", "CheckLabelStanding").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0005_checklabelstanding")]
    operations = [migrations.RunPython(backfill, remove)]
