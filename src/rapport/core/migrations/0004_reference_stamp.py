from django.db import migrations, models

from rapport.core.fast.reference import install_stamp, remove_stamp


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notifications"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
        ),
        # The stamp's row (and PostgreSQL's trigger function). Each app that owns
        # reference data installs the triggers on its tables in a migration of its own
        # (rapport.core.fast.reference.stamp_triggers); this one once did it for them,
        # and databases migrated then get the same triggers again from those.
        migrations.RunPython(install_stamp, remove_stamp),
    ]
