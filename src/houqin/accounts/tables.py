from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


def _place(membership: object) -> object:
    return getattr(membership, "school", None) or getattr(membership, "district", None)


class UserTable(Table):
    columns = (
        Column("real_name", _("real name"), link=True),
        Column("username", _("username")),
        Column("phone", _("mobile phone"), hide_on_phone=True),
        Column("staff_no", _("staff number"), hide_on_phone=True),
        Column(
            "roles",
            _("roles"),
            accessor=lambda u: "、".join(sorted({str(m.role) for m in u.active_memberships})),
            sortable=False,
        ),
        Column("is_active", _("active"), hide_on_phone=True),
        Column("last_login", _("last login"), hide_on_phone=True),
    )


class MembershipTable(Table):
    columns = (
        Column("user", _("person"), accessor="user", order_by="user__real_name", link=True),
        Column("role", _("role"), accessor="role", order_by="role__sort_order"),
        Column(
            "place", _("school or district"), accessor=_place, sortable=False, hide_on_phone=True
        ),
        Column("department", _("department"), accessor="department", order_by="department__name"),
        Column("title", _("job title"), hide_on_phone=True),
        Column("is_active", _("active"), hide_on_phone=True),
    )


class RoleTable(Table):
    columns = (
        Column("name", _("name"), accessor="display_name", order_by="sort_order", link=True),
        Column("code", _("code")),
        Column("scope", _("scope")),
        Column("permission_count", _("permissions"), align_end=True),
        Column("member_count", _("people"), align_end=True),
    )
