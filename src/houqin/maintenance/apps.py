from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "houqin.maintenance"
    label = "maintenance"
    verbose_name = _("Maintenance")

    def ready(self) -> None:
        # Scheduled jobs: SLA escalation, automatic verification, preventive plans.
        from . import tasks  # noqa: F401
