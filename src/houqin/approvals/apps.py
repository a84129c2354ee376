from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "houqin.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from . import notices

        notices.register_events()

        from houqin.core.navigation import register_badge

        from .selectors import inbox_count

        register_badge("approvals:inbox", inbox_count)
