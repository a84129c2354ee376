from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "houqin.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        # Approval adapters (transfers, compensation waivers, disposals) and scheduled jobs.
        from . import approval_damage, approval_disposal, approval_movements, tasks  # noqa: F401
