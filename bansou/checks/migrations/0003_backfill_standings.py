"""Works out the element standings of the checks submitted before standings were stored."""

from django.db import migrations

from bansou.domain.coverage import standings_of
from bansou.domain.framework_file import parse_framework
from bansou.domain.scoring import Answer, score


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Check = apps.get_model("checks", "Check")
    CheckAnswer = apps.get_model("checks", "CheckAnswer")
    CheckStanding = apps.get_model("checks", "CheckStanding")
    frameworks = {}
    for check in Check.objects.filter(standings__isnull=True).select_related("framework").iterator():
        version = check.framework
        if version.pk not in frameworks:
            frameworks[version.pk] = parse_framework(
                version.source_text.encode("utf-8"), source=version.digest[:12]
            ).framework
        answers = {
            code: Answer(understanding, practice)
            for code, understanding, practice in CheckAnswer.objects.filter(check_record=check).values_list(
                "item__code", "understanding", "practice"
            )
        }
        result = score(frameworks[version.pk], answers)
        CheckStanding.objects.bulk_create(
            CheckStanding(
                check_record=check,
                element=number,
                understood_count=standing.understanding.count,
                practised_count=standing.practice.count,
                total=standing.practice.total,
                understood=standing.understood,
                practised=standing.practised,
            )
            for number, standing in standings_of(result).items()
        )


class Migration(migrations.Migration):
    dependencies = [("checks", "0002_checkstanding")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
