from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "houqin.printing"
    label = "printing"
    verbose_name = _("Printing")

    def ready(self) -> None:
        from . import approval  # noqa: F401 - binds the print job request type
        from .services import notices  # noqa: F401 - registers the notification events
