from django.db import migrations

from rapport.core.fast.reference import install_later_triggers, remove_later_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_stamp"),
        ("directory", "0001_initial"),
    ]

    operations = [
        # Parties join the reference data: every write to them gives the stamp a new
        # value, so a new ticket reads its client and provider from the process's copy.
        migrations.RunPython(install_later_triggers, remove_later_triggers),
    ]
