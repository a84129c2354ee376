from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        _("Notifications"),
        "bell",
        weight=93,
        items=(
            MenuItem(_("My notifications"), "notifications:centre", None, "inbox"),
            MenuItem(_("My exports"), "core:export_list", None, "download"),
            MenuItem(_("Notification settings"), "notifications:preferences", None, "sliders"),
            MenuItem(
                _("Group robots"),
                "notifications:webhookendpoint_list",
                "notifications.view_webhookendpoint",
                "robot",
            ),
            MenuItem(
                _("Delivery log"),
                "notifications:delivery_list",
                "notifications.view_delivery",
                "send-check",
            ),
            MenuItem(
                _("Background jobs"),
                "notifications:jobrun_list",
                "notifications.view_jobrun",
                "clock-history",
            ),
        ),
    ),
)
