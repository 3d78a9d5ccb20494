"""CheckShare now belongs to the sharing app (state only: the table teams_checkshare stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CheckShare")],
            database_operations=[],
        ),
    ]
