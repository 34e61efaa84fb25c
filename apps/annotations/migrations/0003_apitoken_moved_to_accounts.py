# ApiToken now lives in accounts (accounts 0001): only the migration state changes.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0002_timestamps_from_one_clock_reading"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
