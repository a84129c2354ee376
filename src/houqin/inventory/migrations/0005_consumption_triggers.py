"""Fill the monthly consumption tables from the ledger and keep them by triggers."""

from typing import Any

from django.db import migrations

from houqin.inventory import consumption_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    consumption_sql.run(schema_editor, consumption_sql.refill_statements(vendor))
    consumption_sql.run(schema_editor, consumption_sql.create_triggers(vendor))


def backwards(apps: Any, schema_editor: Any) -> None:
    consumption_sql.run(
        schema_editor, consumption_sql.drop_triggers(schema_editor.connection.vendor)
    )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_consumption_months")]

    operations = [migrations.RunPython(forwards, backwards)]
