from django.db import migrations

from rapport.core.fast.reference import stamp_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_stamp"),
        ("mail", "0002_threads_spam_and_cc"),
    ]

    operations = [
        # The mailboxes: reference data every delivery reads.
        stamp_triggers("mail_mailbox"),
    ]
