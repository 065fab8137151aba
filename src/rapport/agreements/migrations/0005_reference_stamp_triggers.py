from django.db import migrations

from rapport.core.fast.reference import stamp_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_stamp"),
        ("agreements", "0004_calendar_overrides_and_breaks"),
    ]

    operations = [
        # Agreements, their targets and calendars: the reference data every new ticket reads.
        stamp_triggers(
            "agreements_agreement",
            "agreements_agreementtarget",
            "agreements_calendar",
        ),
    ]
