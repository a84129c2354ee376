from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "houqin.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from . import approval, tasks  # noqa: F401  (approval adapters, scheduled jobs)
