from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "houqin.procurement"
    label = "procurement"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        # The purchase request approval adapter and scheduled jobs (qualification expiry).
        from . import approval, tasks  # noqa: F401
