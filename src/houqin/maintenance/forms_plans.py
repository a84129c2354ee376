"""Forms of preventive plans and holiday campaigns: checklists and date lists are typed one
per line and stored as JSON lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.core.scoping import has_perm_in_school
from houqin.org.models import Building, Room

from .choices import Recurrence
from .models import Campaign, MaintenancePlan
from .services.plans import parse_dates

MAX_CHECKLIST = 50
WORK = "maintenance.work_workorder"


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ChecklistField(forms.CharField):
    """A textarea, one check per line → a list of strings."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("checklist"))
        kwargs.setdefault("help_text", gettext_lazy("One check per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        found = lines(text)
        if len(found) > MAX_CHECKLIST:
            raise forms.ValidationError(_("At most %(count)s checks.") % {"count": MAX_CHECKLIST})
        for line in found:
            if len(line) > 200:
                raise forms.ValidationError(_("A check is at most 200 characters long."))
        return found


class DatesField(forms.CharField):
    """ISO dates, one per line (or separated by commas) → sorted ISO strings."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2026-07-10"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        parts = [p for line in lines(text) for p in line.replace("，", ",").split(",")]
        try:
            days = parse_dates(p for p in parts if p.strip())
        except ValueError:
            raise forms.ValidationError(_("Write dates as 2026-07-10, one per line.")) from None
        return [day.isoformat() for day in days]


class PlanForm(StyledModelForm):
    checklist = ChecklistField()
    dates = DatesField(
        required=False,
        label=gettext_lazy("dates"),
        help_text=gettext_lazy("Only for “on listed dates”: one date per line, e.g. 2026-07-10."),
    )

    class Meta:
        model = MaintenancePlan
        fields = [
            "school",
            "name",
            "category",
            "description",
            "recurrence",
            "interval",
            "dates",
            "start_date",
            "end_date",
            "lead_days",
            "asset_category",
            "rooms",
            "checklist",
            "urgency",
            "assignee",
            "team",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rooms": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "rooms": gettext_lazy(
                "One order per room; with an asset category, only its assets in these rooms. "
                "Neither: one order for the whole school."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rooms = Room.objects.select_related("building").order_by(
            "building__name", "floor", "number"
        )
        self.fields["rooms"].queryset = rooms  # type: ignore[attr-defined]
        assets = self.fields["asset_category"]
        assets.queryset = assets.queryset.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        school = data.get("school")
        recurrence = data.get("recurrence")
        dates = data.get("dates") or []
        if recurrence == Recurrence.DATES and not dates:
            self.add_error("dates", _("List at least one date."))
        elif recurrence and recurrence != Recurrence.DATES and dates:
            self.add_error(
                "dates", _("Dates are used only when the plan recurs “on listed dates”.")
            )
        if school is not None:
            strangers = [r for r in data.get("rooms") or [] if r.school_id != school.pk]
            if strangers:
                self.add_error(
                    "rooms",
                    _("These rooms belong to another school: %(rooms)s")
                    % {"rooms": "、".join(str(r) for r in strangers)},
                )
            team = data.get("team")
            if team is not None and team.school_id != school.pk:
                self.add_error("team", _("The team belongs to another school."))
            worker = data.get("assignee")
            if worker is not None and not has_perm_in_school(worker, WORK, school.pk):
                self.add_error("assignee", _("This person is not a maintenance worker here."))
        category = data.get("asset_category")
        if category is not None and not category.is_active:
            self.add_error("asset_category", _("This asset category is no longer in use."))
        return data


class CampaignForm(StyledModelForm):
    checklist = ChecklistField()
    buildings = forms.ModelMultipleChoiceField(
        queryset=Building.objects.order_by("name"),
        required=False,
        label=gettext_lazy("whole buildings"),
        help_text=gettext_lazy("Every room in use of these buildings is added."),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Campaign
        fields = [
            "school",
            "name",
            "category",
            "title",
            "description",
            "checklist",
            "start_date",
            "end_date",
            "buildings",
            "rooms",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rooms": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {"rooms": gettext_lazy("Single rooms, besides the whole buildings.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooms"].required = False
        rooms = Room.objects.select_related("building").order_by(
            "building__name", "floor", "number"
        )
        self.fields["rooms"].queryset = rooms  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        school = data.get("school")
        rooms = list(data.get("rooms") or [])
        buildings = list(data.get("buildings") or [])
        if school is not None:
            strangers = [str(x) for x in [*buildings, *rooms] if x.school_id != school.pk]
            if strangers:
                self.add_error(
                    None,
                    _("These belong to another school: %(names)s")
                    % {"names": "、".join(strangers)},
                )
                return data
        if buildings:
            known = {room.pk for room in rooms}
            rooms += [
                room
                for room in Room.objects.filter(building__in=buildings, is_active=True)
                if room.pk not in known
            ]
        if not rooms:
            self.add_error("rooms", _("Choose at least one building or room."))
        data["rooms"] = rooms
        return data


class CampaignCloseForm(StyledFormMixin, forms.Form):
    force = forms.BooleanField(
        required=False, label=gettext_lazy("Close anyway and cancel the open orders")
    )
    reason = forms.CharField(required=False, max_length=200, label=gettext_lazy("reason"))
