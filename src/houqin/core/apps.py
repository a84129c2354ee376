from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "houqin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import audit
        from .attachments import signals as attachment_signals

        audit.connect_signals()
        attachment_signals.connect()

        from django.db.models.signals import post_migrate

        from .sqlite_stats import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="sqlite-stats")
