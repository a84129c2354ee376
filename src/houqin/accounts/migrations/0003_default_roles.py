"""The default roles (personas) with their permissions. Roles are data afterwards."""

from django.db import migrations

from houqin.accounts.roles import create_default_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("org", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_default_roles, migrations.RunPython.noop)]
