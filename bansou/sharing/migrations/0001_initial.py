"""CheckShare (from teams) and PlanShare (from plans) move to sharing: state only, the tables stay.

The content types follow the models, so that admin history and permissions keep pointing at them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, old in (("checkshare", "teams"), ("planshare", "plans")):
        source, target = (old, "sharing") if forward else ("sharing", old)
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("checks", "0004_entered_by"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0001_initial"),
        ("plans", "0001_initial"),
        ("teams", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CheckShare",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "check_record",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="checks.check",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="shares",
                                to="orgs.organisation",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="shares",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="shares",
                                to="teams.team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "teams_checkshare",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("organisation__isnull", True), ("team__isnull", False)),
                                    models.Q(("organisation__isnull", False), ("team__isnull", True)),
                                    _connector="OR",
                                ),
                                name="share_one_audience",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("team__isnull", False)),
                                fields=("owner", "team"),
                                name="share_one_per_team",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("organisation__isnull", False)),
                                fields=("owner", "organisation"),
                                name="share_one_per_org",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PlanShare",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("shared_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="shares",
                                to="plans.plan",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="plan_shares",
                                to="teams.team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_planshare",
                        "constraints": [
                            models.UniqueConstraint(fields=("plan", "team"), name="plan_share_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_back),
    ]
