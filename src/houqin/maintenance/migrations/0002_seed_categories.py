"""The repair categories a school's request form offers (editable afterwards)."""

from django.db import migrations

CATEGORIES = [
    ("water", "水", "Water", "droplet", 10),
    ("electric", "电", "Electricity", "lightning-charge", 20),
    ("carpentry", "木工", "Carpentry", "hammer", 30),
    ("doors", "门窗", "Doors and windows", "door-open", 40),
    ("appliance", "电器", "Appliances", "fan", 50),
    ("aircon", "空调", "Air conditioning", "snow", 60),
    ("network", "网络", "Network", "wifi", 70),
    ("plumbing", "管道", "Pipes and drains", "moisture", 80),
    ("other", "其他", "Other", "tools", 90),
]


def forwards(apps, schema_editor):
    model = apps.get_model("maintenance", "RepairCategory")
    for code, name, name_en, icon, order in CATEGORIES:
        model.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "icon": icon, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
