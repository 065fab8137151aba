from django.db import migrations


class Migration(migrations.Migration):
    """API tokens moved to the accounts app and notifications to the notifications app
    (core imports no app). Only Django's record of the models changes: the tables keep
    their names (core_apitoken, core_notification) and their rows."""

    dependencies = [
        ("core", "0005_party_reference_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ApiToken"),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
    ]
