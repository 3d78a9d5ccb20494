"""PlanShare now belongs to the sharing app (state only: the table plans_planshare stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PlanShare")],
            database_operations=[],
        ),
    ]
