from django.db import migrations


class Migration(migrations.Migration):
    """Once installed the parties' stamp triggers; `directory` does that itself now
    (directory 0002). Kept, empty, so databases that applied it stay consistent."""

    dependencies = [
        ("core", "0004_reference_stamp"),
    ]

    operations: list[migrations.operations.base.Operation] = []
