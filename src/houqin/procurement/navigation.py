from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup

from .urls import AREAS

MENU = (
    MenuGroup(
        _("Purchasing"),
        "cart3",
        weight=26,
        items=tuple(item for area in AREAS for item in area.MENU_ITEMS),
    ),
)
