"""Who asks for supplies, who keeps the store, who reads the consumption figures."""

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


def crud(*models):
    return [f"inventory.{verb}_{model}" for model in models for verb in ("view", "add", "change")]


STORE = [
    *crud("stockitem", "stockcount"),
    "inventory.view_stockmovement",
    "inventory.move_stock",
    "inventory.view_all_requisition",
    "inventory.change_requisition",
    "inventory.view_departmentquota",
    "inventory.view_inventory_reports",
]
OFFICE = [*STORE, *crud("departmentquota"), "inventory.delete_departmentquota"]
READER = [
    "inventory.view_stockmovement",
    "inventory.view_all_requisition",
    "inventory.view_stockcount",
    "inventory.view_departmentquota",
    "inventory.view_inventory_reports",
]


def forwards(apps, schema_editor):
    mapping = {
        code: [
            "inventory.view_requisition",
            "inventory.add_requisition",
            "inventory.view_stockitem",
        ]
        for code in STAFF
    }
    mapping["storekeeper"] += STORE
    for code in ("director", "admin"):
        mapping[code] += OFFICE
    for code in ("principal", "vp", "accountant"):
        mapping[code] += READER
    mapping["district"] = ["inventory.view_inventory_reports"]
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
