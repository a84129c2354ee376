"""Who asks for printing, who runs the print room, who reads the paper figures."""

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
ROOM = [
    "printing.view_all_printjob",
    "printing.operate_printjob",
    "printing.view_printing_reports",
    "printing.view_printsettings",
]
READER = ["printing.view_all_printjob", "printing.view_printing_reports"]


def forwards(apps, schema_editor):
    mapping = {code: ["printing.view_printjob", "printing.add_printjob"] for code in STAFF}
    mapping["storekeeper"] += ROOM
    for code in ("director", "admin"):
        mapping[code] += [
            *ROOM,
            "printing.change_printsettings",
            "printing.add_printsettings",
        ]
    for code in ("principal", "vp", "accountant"):
        mapping[code] += READER
    mapping["district"] = ["printing.view_printing_reports"]
    grant(apps, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("printing", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
