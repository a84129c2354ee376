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
