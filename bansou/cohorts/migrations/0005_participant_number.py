"""Participants get a number within their 研修 (1, 2, 3 ... in the order they joined), the code of
their row in the paper entry workbook, instead of the site-wide id; each 研修 remembers the last one
given, so that a number is never given twice."""

from typing import Any

from django.db import migrations, models


def number(apps: Any, schema_editor: Any) -> None:
    Cohort = apps.get_model("cohorts", "Cohort")
    Participant = apps.get_model("cohorts", "Participant")
    for cohort in Cohort.objects.order_by("pk"):
        seats = list(Participant.objects.filter(cohort=cohort).order_by("joined_at", "pk"))
        for n, seat in enumerate(seats, start=1):
            seat.number = n
        Participant.objects.bulk_update(seats, ["number"], batch_size=500)
        Cohort.objects.filter(pk=cohort.pk).update(last_number=len(seats))


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0004_startedcheck"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="last_number",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="participant",
            name="number",
            field=models.PositiveIntegerField(null=True, verbose_name="参加者番号"),
        ),
        migrations.RunPython(number, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="participant",
            name="number",
            field=models.PositiveIntegerField(verbose_name="参加者番号"),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(fields=("cohort", "number"), name="participant_number_unique"),
        ),
    ]
