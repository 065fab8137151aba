"""Partial indexes for the desk's "Unassigned" queue: unassigned open tickets are few,
so counting and listing them reads only them, not every open ticket of a team.

Raw SQL (both engines accept partial indexes in this form) keeps the tickets model
untouched; the indexes serve reads only, so Django's model state need not know them.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX ticket_unassigned_provider ON tickets_ticket "
    "(provider_party_id, status_category, updated_at) WHERE assignee_id IS NULL",
    "CREATE INDEX ticket_unassigned ON tickets_ticket "
    "(status_category, updated_at) WHERE assignee_id IS NULL",
]
BACKWARD = [
    "DROP INDEX ticket_unassigned_provider",
    "DROP INDEX ticket_unassigned",
]


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_saved_views"),
        ("tickets", "0004_drop_indexes_led_by_composites"),
    ]

    operations = [
        migrations.RunSQL(forward, backward)
        for forward, backward in zip(FORWARD, BACKWARD, strict=True)
    ]
