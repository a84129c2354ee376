from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        _("Organisation"),
        "diagram-3",
        weight=80,
        items=(
            MenuItem(_("Districts"), "org:district_list", "org.view_district", "bank"),
            MenuItem(_("Schools"), "org:school_list", "org.view_school", "building"),
            MenuItem(_("Campuses"), "org:campus_list", "org.view_campus", "geo-alt"),
            MenuItem(_("Buildings"), "org:building_list", "org.view_building", "buildings"),
            MenuItem(_("Rooms"), "org:room_list", "org.view_room", "door-open"),
            MenuItem(_("Departments"), "org:department_list", "org.view_department", "people"),
            MenuItem(_("School years"), "org:schoolyear_list", "org.view_schoolyear", "calendar3"),
            MenuItem(_("Terms"), "org:term_list", "org.view_term", "calendar-range"),
        ),
    ),
)
