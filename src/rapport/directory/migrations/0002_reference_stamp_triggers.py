from django.db import migrations

from rapport.core.fast.reference import stamp_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_stamp"),
        ("directory", "0001_initial"),
    ]

    operations = [
        # Every new ticket names two parties: they are reference data (rapport.core.fast.reference).
        stamp_triggers("directory_party"),
    ]
