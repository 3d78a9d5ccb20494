"""One history for the installation: the groups each organisation's staff were shown (kept per
organisation until now) become rows of the one history, in the order they were shown. A group shown
to two organisations becomes one row, remembered as first shown to the earlier; going back, each row
returns to the organisation it was first shown to, if that still exists."""

import hashlib
import uuid

from django.db import migrations


def _digest(ids):
    return hashlib.sha256(",".join(str(c) for c in ids).encode()).hexdigest()


def carry_over(apps, schema_editor):
    Old = apps.get_model("cohorts", "ShownGroup")
    New = apps.get_model("disclosure", "ShownGroup")
    State = apps.get_model("disclosure", "LedgerState")
    seen = set()
    rows = []
    for organisation_id, checks, shown_at in Old.objects.order_by("shown_at", "pk").values_list(
        "organisation_id", "checks", "shown_at"
    ):
        ids = sorted({int(c) for c in checks})
        digest = _digest(ids)
        if digest not in seen:
            seen.add(digest)
            rows.append(New(digest=digest, checks=ids, shown_at=shown_at, first_shown_to=organisation_id))
    New.objects.bulk_create(rows)
    State.objects.update_or_create(pk=1, defaults={"generation": uuid.uuid4(), "size": New.objects.count()})


def give_back(apps, schema_editor):
    Old = apps.get_model("cohorts", "ShownGroup")
    New = apps.get_model("disclosure", "ShownGroup")
    Organisation = apps.get_model("orgs", "Organisation")
    existing = set(Organisation.objects.values_list("pk", flat=True))
    for row in New.objects.order_by("pk"):
        if row.first_shown_to in existing:
            ids = [str(c) for c in row.checks]
            old = Old.objects.create(organisation_id=row.first_shown_to, digest=_digest(ids), checks=ids)
            Old.objects.filter(pk=old.pk).update(shown_at=row.shown_at)  # not "now" (auto_now_add)
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
        ("cohorts", "0002_remove_cohort_join_code"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry_over, give_back)]
