from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        _("People and roles"),
        "person-badge",
        weight=90,
        items=(
            MenuItem(_("People"), "accounts:user_list", "accounts.view_user", "person-lines-fill"),
            MenuItem(_("Roles"), "accounts:role_list", "accounts.view_role", "shield-lock"),
        ),
    ),
)
