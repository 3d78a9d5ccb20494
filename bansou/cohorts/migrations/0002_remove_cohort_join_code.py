"""A 研修's join code is an invitation now (bansou.invitations, 0002_from_earlier_tables moved them).

Going back, the column returns without its codes (they are kept only as digests): each 研修 gets a
new code, which is why the column is first made nullable and not unique, filled, then constrained.
"""

import secrets

from django.db import migrations, models

import bansou.invitations.codes


def new_codes(apps, schema_editor):
    Cohort = apps.get_model("cohorts", "Cohort")
    alphabet = "34679ACDEFGHJKMNPQRTUVWXY"
    for cohort in Cohort.objects.all():
        code = "".join(secrets.choice(alphabet) for _ in range(12))
        Cohort.objects.filter(pk=cohort.pk).update(join_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0002_from_earlier_tables"),
        ("cohorts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cohort",
            name="join_code",
            field=models.CharField(max_length=16, null=True, default=bansou.invitations.codes.new_code),
        ),
        migrations.RunPython(migrations.RunPython.noop, new_codes),
        migrations.RemoveField(model_name="cohort", name="join_code"),
    ]
