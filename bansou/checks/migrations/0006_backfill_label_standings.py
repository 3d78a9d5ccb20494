"""Works out the C label standings (C-1…C-9) of the checks stored before label standings were.

Forward: every check gets the standings it lacks from its answers and its own framework version
(``checks.label_backfill``). Backward: the C label standings are removed (forward again works them
out anew: checks never change).
"""

from django.db import migrations

from bansou.checks import label_backfill


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    label_backfill.backfill(apps, "C")


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("checks", "CheckLabelStanding").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0005_checklabelstanding")]
    operations = [migrations.RunPython(backfill, remove)]
