"""Department heads ask for changes to their department's budget."""

from django.db import migrations

from houqin.accounts.roles import grant


def forwards(apps, schema_editor):
    grant(
        apps,
        {
            "depthead": [
                "finance.view_budgetadjustment",
                "finance.add_budgetadjustment",
                "finance.change_budgetadjustment",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_grant_budget_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
