from django.db import migrations

from rapport.core.fast.reference import stamp_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_stamp"),
        ("tickets", "0010_reactions"),
    ]

    operations = [
        # The statuses: reference data every new ticket and ticket page reads.
        stamp_triggers("tickets_status"),
    ]
