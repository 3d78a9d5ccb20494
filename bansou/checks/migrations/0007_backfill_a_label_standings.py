"""Works out the A label standings (A-1…A-7: the basics, 基礎知識・基礎スキル) of the checks stored
before they were kept, so that team forming reads who has the basics from label standings alone.

Forward: every check gets the A label standings it lacks (``checks.label_backfill``). Backward: the
A label standings are removed.
"""

from django.db import migrations

from bansou.checks import label_backfill


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    label_backfill.backfill(apps, "A")


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    label_backfill.remove(apps, "A")


class Migration(migrations.Migration):
    dependencies = [("checks", "0006_backfill_label_standings")]
    operations = [migrations.RunPython(backfill, remove)]
