"""Sum every school's work orders into the monthly statistics, the current month included,
and keep them by triggers."""

from typing import Any

from django.db import migrations

from houqin.maintenance import stats_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    stats_sql.run(schema_editor, stats_sql.refill_statements(vendor))
    stats_sql.run(
        schema_editor, stats_sql.drop_triggers(vendor) + stats_sql.create_triggers(vendor)
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    stats_sql.run(schema_editor, stats_sql.drop_triggers(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0008_covering_repeat_index")]

    operations = [migrations.RunPython(forwards, backwards)]
