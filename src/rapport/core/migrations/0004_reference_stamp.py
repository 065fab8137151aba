from django.db import migrations, models

from rapport.core.fast.reference import install_triggers, remove_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notifications"),
        ("tickets", "0005_sla_due_columns"),
        ("agreements", "0003_agreement_warning_percents"),
        ("mail", "0001_mailboxes_and_message_store"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
        ),
        # Every write to the reference tables gives the stamp a new value: see
        # rapport.core.fast.reference for why triggers rather than the actions alone.
        migrations.RunPython(install_triggers, remove_triggers),
    ]
