"""Who manages group robots, reads the delivery log and watches the background jobs."""

from django.db import migrations

from houqin.accounts.roles import grant

MANAGE = [
    "notifications.view_webhookendpoint",
    "notifications.add_webhookendpoint",
    "notifications.change_webhookendpoint",
    "notifications.delete_webhookendpoint",
    "notifications.view_delivery",
]


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "admin": [*MANAGE, "notifications.view_jobrun"],
            "director": MANAGE,
            "principal": ["notifications.view_webhookendpoint", "notifications.view_delivery"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0003_default_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
