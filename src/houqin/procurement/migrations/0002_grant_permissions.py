"""Who asks to buy, who buys, who accepts deliveries, who places new assets."""

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
    return [f"procurement.{verb}_{model}" for model in models for verb in ("view", "add", "change")]


PURCHASER = [
    *crud("supplier", "supplierqualification", "purchaseorder", "acceptance"),
    "procurement.delete_supplierqualification",
    "procurement.view_all_purchaserequest",
    "procurement.accept_purchaseorder",
    "procurement.view_assetintake",
    "procurement.view_procurement_reports",
    "procurement.view_procurementsettings",
]
OFFICE = [
    *PURCHASER,
    *crud("assetintake", "procurementsettings"),
]
RECEIVER = [
    "procurement.view_purchaseorder",
    *crud("acceptance"),
    "procurement.accept_purchaseorder",
    "procurement.view_supplier",
]
READER = [
    "procurement.view_all_purchaserequest",
    "procurement.view_purchaseorder",
    "procurement.view_acceptance",
    "procurement.view_supplier",
    "procurement.view_supplierqualification",
    "procurement.view_assetintake",
    "procurement.view_procurement_reports",
]


def forwards(apps, schema_editor):
    mapping = {
        code: ["procurement.view_purchaserequest", "procurement.add_purchaserequest"]
        for code in STAFF
    }
    mapping["purchaser"] += PURCHASER
    mapping["storekeeper"] += RECEIVER
    mapping["assetkeeper"] += [
        *RECEIVER,
        "procurement.view_assetintake",
        "procurement.change_assetintake",
    ]
    for code in ("director", "admin"):
        mapping[code] += OFFICE
    for code in ("principal", "vp", "accountant"):
        mapping[code] += READER
    mapping["district"] = ["procurement.view_procurement_reports"]
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
