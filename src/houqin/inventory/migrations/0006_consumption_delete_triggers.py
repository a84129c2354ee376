"""SQLite: a deleted movement is taken off its monthly row by an update, never an insert."""

from typing import Any

from django.db import migrations

from houqin.inventory import consumption_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    consumption_sql.run(
        schema_editor,
        consumption_sql.drop_triggers(vendor) + consumption_sql.create_triggers(vendor),
    )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0005_consumption_triggers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
