from django.db import migrations


def forwards(apps, schema_editor):
    from houqin.assets.categories_seed import seed

    seed(apps.get_model("assets", "AssetCategory"))


class Migration(migrations.Migration):
    dependencies = [("assets", "0002_grant_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
