"""The on-hold status a ticket takes while it waits on work it handed over."""

from django.db import migrations


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Status = apps.get_model("tickets", "Status")
    Status.objects.get_or_create(
        slug="waiting-on-partner",
        defaults={"name": "Waiting on partner", "category": "on_hold", "position": 45},
    )


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("tickets", "Status").objects.filter(slug="waiting-on-partner").delete()


class Migration(migrations.Migration):
    dependencies = [("chain", "0001_initial"), ("tickets", "0005_sla_due_columns")]
    operations = [migrations.RunPython(forward, backward)]
