from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        _("Approvals"),
        "check2-square",
        weight=10,
        items=(
            MenuItem(_("Awaiting my approval"), "approvals:inbox", None, "inbox"),
            MenuItem(_("My requests"), "approvals:mine", None, "send"),
            MenuItem(
                _("Approval chains"),
                "approvals:approvalchain_list",
                "approvals.view_approvalchain",
                "diagram-2",
            ),
        ),
    ),
)
