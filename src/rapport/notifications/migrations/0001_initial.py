import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The notification model, moved from core without moving data: the table
    core_notification was created by core's migrations and is only taken over here."""

    initial = True

    dependencies = [
        ("core", "0006_tokens_and_notifications_moved_out"),
        ("tickets", "0004_drop_indexes_led_by_composites"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=32)),
                        ("text", models.CharField(max_length=500)),
                        ("created_at", models.DateTimeField()),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("recipient", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                        ("ticket", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tickets.ticket")),
                    ],
                    options={
                        "db_table": "core_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox"), models.Index(fields=["recipient", "read_at"], name="notification_unread")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
