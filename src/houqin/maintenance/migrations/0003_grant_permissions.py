"""Who reports, who dispatches, who repairs, who reads the figures."""

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
    return [f"maintenance.{verb}_{model}" for model in models for verb in ("view", "add", "change")]


OFFICE = [
    *crud(
        "repairrequest",
        "workorder",
        "maintenancesettings",
        "maintenanceteam",
        "dispatchrule",
        "workcalendarday",
        "maintenanceplan",
        "campaign",
    ),
    "maintenance.delete_dispatchrule",
    "maintenance.delete_workcalendarday",
    "maintenance.delete_maintenanceteam",
    "maintenance.view_repaircategory",
    "maintenance.triage_repairrequest",
    "maintenance.dispatch_workorder",
    "maintenance.work_workorder",
    "maintenance.view_maintenance_reports",
]
READER = [
    "maintenance.view_repairrequest",
    "maintenance.view_workorder",
    "maintenance.view_maintenanceplan",
    "maintenance.view_campaign",
    "maintenance.view_maintenance_reports",
    "maintenance.view_maintenancesettings",
    "maintenance.view_maintenanceteam",
    "maintenance.view_dispatchrule",
    "maintenance.view_workcalendarday",
]
WORKER = [
    "maintenance.view_repairrequest",
    "maintenance.view_workorder",
    "maintenance.work_workorder",
    "maintenance.view_maintenanceplan",
    "maintenance.view_campaign",
    "maintenance.view_maintenanceteam",
]


def forwards(apps, schema_editor):
    # Every member of staff reports repairs (and sees their own requests).
    mapping = {code: ["maintenance.add_repairrequest"] for code in STAFF}
    for code in ("director", "admin"):
        mapping[code] += OFFICE
    mapping["admin"] += ["maintenance.add_repaircategory", "maintenance.change_repaircategory"]
    for code in ("principal", "vp"):
        mapping[code] += READER
    mapping["worker"] += WORKER
    mapping["district"] = ["maintenance.view_maintenance_reports", "maintenance.view_workorder"]
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0002_seed_categories"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
