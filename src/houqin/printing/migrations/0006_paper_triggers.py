"""Fill the monthly paper tables from the finished jobs and keep them by triggers."""

from typing import Any

from django.db import migrations

from houqin.printing import paper_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    paper_sql.run(schema_editor, paper_sql.refill_statements(vendor))
    paper_sql.run(
        schema_editor, paper_sql.drop_triggers(vendor) + paper_sql.create_triggers(vendor)
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    paper_sql.run(schema_editor, paper_sql.drop_triggers(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("printing", "0005_paper_months")]

    operations = [migrations.RunPython(forwards, backwards)]
