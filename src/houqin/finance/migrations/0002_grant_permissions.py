"""Who may claim expenses, see all claims and record payments; who configures approvals."""

from django.db import migrations

from houqin.accounts.roles import grant

STAFF = [
    "principal",
    "vp",
    "director",
    "depthead",
    "teacher",
    "worker",
    "storekeeper",
    "purchaser",
    "assetkeeper",
    "accountant",
    "safety",
    "canteen",
    "nurse",
    "admin",
]
OWN = ["finance.view_expense", "finance.add_expense", "finance.change_expense"]
CHAINS = [
    "approvals.view_approvalchain",
    "approvals.add_approvalchain",
    "approvals.change_approvalchain",
    "approvals.delete_approvalchain",
]


def forwards(apps, schema_editor):
    mapping = {code: list(OWN) for code in STAFF}
    for code in ("principal", "vp", "director", "accountant", "admin"):
        mapping[code] += ["finance.view_all_expense", "approvals.view_approvalrequest"]
    mapping["accountant"] += ["finance.pay_expense"]
    for code in ("director", "admin"):
        mapping[code] += CHAINS
    mapping["principal"] += ["approvals.view_approvalchain"]
    mapping["district"] = [
        "finance.view_expense",
        "finance.view_all_expense",
        "approvals.view_approvalrequest",
    ]
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
        ("approvals", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
