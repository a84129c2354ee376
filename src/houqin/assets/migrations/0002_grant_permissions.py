"""Who keeps the register, who reads it, who assesses damage and records payments."""

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
    return [f"assets.{verb}_{model}" for model in models for verb in ("view", "add", "change")]


KEEPER = [
    *crud(
        "asset",
        "assetsettings",
        "compensationpriceitem",
        "assettransfer",
        "assetloan",
        "damagereport",
        "assetdisposal",
        "stocktake",
    ),
    "assets.delete_compensationpriceitem",
    "assets.view_assetcategory",
    "assets.add_assetcategory",
    "assets.change_assetcategory",
    "assets.view_assetmovement",
    "assets.view_depreciationrun",
    "assets.add_depreciationrun",
    "assets.print_asset_labels",
    "assets.run_depreciation",
    "assets.view_asset_reports",
    "assets.assess_damagereport",
    "assets.count_stocktake",
]
READER = [
    "assets.view_asset",
    "assets.view_assetcategory",
    "assets.view_assetmovement",
    "assets.view_assettransfer",
    "assets.view_assetloan",
    "assets.view_damagereport",
    "assets.view_assetdisposal",
    "assets.view_stocktake",
    "assets.view_depreciationrun",
    "assets.view_asset_reports",
    "assets.view_assetsettings",
    "assets.view_compensationpriceitem",
]


def forwards(apps, schema_editor):
    # Every member of staff can open an asset (its label) and report damage.
    mapping = {
        code: ["assets.view_asset", "assets.add_damagereport", "assets.view_damagereport"]
        for code in STAFF
    }
    for code in ("assetkeeper", "director", "admin"):
        mapping[code] += KEEPER
    mapping["admin"] += ["assets.delete_assetcategory"]
    for code in ("principal", "vp", "accountant"):
        mapping[code] += READER
    mapping["accountant"] += [
        "assets.record_compensation",
        "assets.run_depreciation",
        "assets.add_depreciationrun",
    ]
    mapping["depthead"] += ["assets.view_assettransfer", "assets.add_assettransfer"]
    mapping["worker"] += ["assets.view_stocktake", "assets.count_stocktake"]
    mapping["district"] = list(READER)
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
