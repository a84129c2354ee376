"""Tables of the maintenance configuration pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.tables import Column, Table

from .forms_config import WEEKDAYS

SPECIFICITY = {
    3: gettext_lazy("1 · category and building"),
    2: gettext_lazy("2 · category"),
    1: gettext_lazy("3 · building"),
    0: gettext_lazy("4 · everything else"),
}


def rule_target(rule: Any) -> str:
    if rule.assignee_id and rule.team_id:
        return f"{rule.assignee} ({rule.team})"
    if rule.assignee_id:
        return str(rule.assignee)
    leader = rule.team.leader if rule.team.leader_id else None
    return f"{rule.team} → {leader}" if leader else str(rule.team)


def rule_effect(rule: Any) -> str:
    """Whether the rule is the one that applies to its category and building."""
    if not rule.is_active:
        return _("Not in use")
    if rule.shadowed_by:
        return _("Never applies: rule #%(pk)s comes first") % {"pk": rule.shadowed_by}
    if rule.team_id and not rule.assignee_id and not rule.team.is_active:
        return _("Never applies: the team is not in use")
    return _("Applies")


class EditLinkTable(Table):
    """Rows link to the edit page (these rows have no page of their own), or nowhere when
    the user may not edit."""

    edit_url_name = ""
    editable = True

    def rows(self) -> list[dict[str, Any]]:
        result = super().rows()
        for obj, row in zip(self.object_list, result, strict=True):
            url = reverse(self.edit_url_name, args=[obj.pk]) if self.editable else None
            row["url"] = url
            for cell in row["cells"]:
                if cell["url"]:
                    cell["url"] = url
        return result


class RuleTable(EditLinkTable):
    edit_url_name = "maintenance:rule_edit"
    columns = (
        Column("pk", "#", link=True),
        Column(
            "specificity",
            gettext_lazy("precedence"),
            accessor=lambda r: SPECIFICITY.get(r.specificity, ""),
            order_by=("-specificity", "pk"),
        ),
        Column(
            "category",
            gettext_lazy("category"),
            accessor=lambda r: r.category or _("any category"),
            order_by="category__sort_order",
        ),
        Column(
            "building",
            gettext_lazy("building"),
            accessor=lambda r: r.building or _("any building"),
            order_by="building__name",
        ),
        Column(
            "target",
            gettext_lazy("goes to"),
            accessor=rule_target,
            order_by=("assignee__real_name", "team__name"),
        ),
        Column("effect", gettext_lazy("effect"), accessor=rule_effect, sortable=False),
        Column("school", gettext_lazy("school"), accessor="school.name", hide_on_phone=True),
    )


class TeamTable(Table):
    columns = (
        Column("name", gettext_lazy("name"), link=True),
        Column("leader", gettext_lazy("leader"), order_by="leader__real_name"),
        Column("member_count", gettext_lazy("members"), align_end=True),
        Column("phone", gettext_lazy("phone"), hide_on_phone=True),
        Column("is_active", gettext_lazy("in use")),
        Column("school", gettext_lazy("school"), accessor="school.name", hide_on_phone=True),
    )


WEEKDAY_NAMES = dict(WEEKDAYS)


class CalendarTable(EditLinkTable):
    edit_url_name = "maintenance:calendar_edit"
    columns = (
        Column(
            "date",
            gettext_lazy("date"),
            accessor=lambda d: date_format(d.date, "SHORT_DATE_FORMAT"),
            order_by="date",
            link=True,
        ),
        Column(
            "weekday",
            gettext_lazy("weekday"),
            accessor=lambda d: WEEKDAY_NAMES[str(d.date.isoweekday())],
            sortable=False,
        ),
        Column(
            "is_working",
            gettext_lazy("kind"),
            accessor=lambda d: _("Working day (调休)") if d.is_working else _("Holiday"),
        ),
        Column("name", gettext_lazy("name")),
        Column("school", gettext_lazy("school"), accessor="school.name", hide_on_phone=True),
    )
