"""Administrators moderate comments: they may change and delete anyone's, at any time."""

from django.db import migrations

from houqin.accounts.roles import grant


def forwards(apps, schema_editor):
    grant(apps, {"admin": ["core.change_comment", "core.delete_comment"]})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_attachments_comments"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
