from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "houqin.inventory"
    label = "inventory"
    verbose_name = _("Consumables store")

    def ready(self) -> None:
        # Approval adapters (requisitions, stock count adjustments) and scheduled jobs.
        from . import approval, tasks  # noqa: F401
