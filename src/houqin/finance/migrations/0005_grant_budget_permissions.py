"""Who keeps the budgets, who reads them."""

from django.db import migrations

from houqin.accounts.roles import grant


def crud(*models):
    return [f"finance.{verb}_{model}" for model in models for verb in ("view", "add", "change")]


KEEPER = [
    *crud("budgetline", "budgetadjustment"),
    "finance.view_budgetentry",
    "finance.view_budget_reports",
    "finance.view_financesettings",
]
READER = [
    "finance.view_budgetline",
    "finance.view_budgetadjustment",
    "finance.view_budgetentry",
    "finance.view_budget_reports",
]


def forwards(apps, schema_editor):
    mapping = {
        "accountant": [*KEEPER, "finance.change_financesettings", "finance.add_financesettings"],
        "director": list(KEEPER),
        "admin": [*KEEPER, "finance.change_financesettings", "finance.add_financesettings"],
        "principal": list(READER),
        "vp": list(READER),
        "depthead": ["finance.view_budgetline"],
        "purchaser": ["finance.view_budgetline"],
        "district": ["finance.view_budget_reports"],
    }
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_budgets"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
