import django.db.models.deletion
from django.db import migrations, models

# Every existing hand-off gets the ticket at the head of its chain: walk down from
# the tickets handed off from a ticket without a parent, one level per step. One
# statement for both databases (UPDATE … FROM needs SQLite 3.33).
BACKFILL = """
WITH RECURSIVE chain(id, root) AS (
    SELECT c.id, c.parent_id FROM tickets_ticket c
    JOIN tickets_ticket p ON p.id = c.parent_id WHERE p.parent_id IS NULL
    UNION ALL
    SELECT t.id, chain.root FROM tickets_ticket t JOIN chain ON t.parent_id = chain.id
)
UPDATE tickets_ticket SET chain_root_id = chain.root FROM chain
WHERE chain.id = tickets_ticket.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_event_actor_indexed_where_set"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="chain_root",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tickets.ticket",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("chain_root__isnull", False)),
                fields=["chain_root", "provider_party"],
                name="ticket_chain",
            ),
        ),
    ]
