"""Forms of the maintenance configuration: targets and hours, categories, teams, dispatch rules,
the working calendar. Every choice is narrowed to the school the form is for."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.org.models import Building

from .choices import Urgency
from .models import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    WorkCalendarDay,
)
from .services.people import workers

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]
#: The longest date range entered at once as holidays (a summer holiday fits).
MAX_RANGE_DAYS = 92


class HoursMinutesWidget(forms.MultiWidget):
    template_name = "maintenance/settings_hours_minutes.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            [
                forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                forms.NumberInput(attrs={"min": 0, "max": 59, "inputmode": "numeric"}),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[int | None]:
        if value in (None, ""):
            return [None, None]
        hours, minutes = divmod(int(value), 60)
        return [hours, minutes]


class HoursMinutesField(forms.MultiValueField):
    """A target entered as hours and minutes, kept as minutes."""

    widget = HoursMinutesWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        kwargs.pop("max_length", None)
        kwargs.pop("step_size", None)
        fields = (
            forms.IntegerField(min_value=0, max_value=24 * 366, required=False),
            forms.IntegerField(min_value=0, max_value=59, required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> int | None:
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        hours, minutes = (int(v or 0) for v in data_list[:2])
        total = hours * 60 + minutes
        if total < 1:
            raise forms.ValidationError(_("A target must be at least one minute."))
        return total


TARGET_FIELDS = [
    f"{urgency}_{kind}_minutes" for urgency in Urgency.values for kind in ("respond", "resolve")
]


class SettingsForm(StyledModelForm):
    work_weekdays = forms.MultipleChoiceField(
        label=_("working weekdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekend days made working days (调休) go into the calendar."),
    )

    class Meta:
        model = MaintenanceSettings
        fields = [
            *TARGET_FIELDS,
            "use_working_hours",
            "work_start",
            "work_end",
            "work_weekdays",
            "portal_enabled",
            "portal_needs_triage",
            "portal_limit_per_address",
            "portal_limit_per_room",
            "repeat_window_days",
            "auto_verify_days",
            "labour_rate",
        ]
        field_classes = {name: HoursMinutesField for name in TARGET_FIELDS}
        widgets = {
            "work_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "work_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    GROUPS = (
        ("hours", _("Working hours"), ("use_working_hours", "work_start", "work_end")),
        (
            "portal",
            _("QR portal"),
            (
                "portal_enabled",
                "portal_needs_triage",
                "portal_limit_per_address",
                "portal_limit_per_room",
            ),
        ),
        (
            "other",
            _("Repeat faults, verification and costs"),
            ("repeat_window_days", "auto_verify_days", "labour_rate"),
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["work_weekdays"] = list(self.instance.work_weekdays or "")
        field = self.fields["work_weekdays"]
        field.widget.attrs["class"] = "form-check-input"
        for name in TARGET_FIELDS:
            for sub in self.fields[name].widget.widgets:  # type: ignore[attr-defined]
                sub.attrs["class"] = "form-control"

    def clean_work_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["work_weekdays"])))

    def target_rows(self) -> list[dict[str, Any]]:
        """One row per urgency: its respond and repair fields."""
        return [
            {
                "label": label,
                "fields": [
                    (_("Respond within"), self[f"{value}_respond_minutes"]),
                    (_("Repair within"), self[f"{value}_resolve_minutes"]),
                ],
            }
            for value, label in Urgency.choices
        ]

    def groups(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": label, "fields": [self[name] for name in names]}
            for key, label, names in self.GROUPS
        ]


ICON = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CategoryForm(StyledModelForm):
    class Meta:
        model = RepairCategory
        fields = ["code", "name", "name_en", "icon", "sort_order", "is_active"]
        help_texts = {
            "icon": _("A Bootstrap Icons name, e.g. lightning-charge, droplet, wifi."),
        }

    def clean_icon(self) -> str:
        icon = str(self.cleaned_data["icon"]).strip().removeprefix("bi-")
        if not ICON.match(icon):
            raise forms.ValidationError(_("Use lower-case letters, digits and dashes."))
        return icon


class SchoolFormMixin:
    """A form for one school's row: the school is fixed by the page, choices follow it."""

    instance: Any
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.school_id = school_id
        if self.instance.pk is None:
            self.instance.school_id = school_id

    def unique_in_school(self, field: str, value: Any, message: Any) -> None:
        model = self.instance.__class__
        taken = model.objects.filter(school_id=self.school_id, **{field: value})
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(message)


class TeamForm(SchoolFormMixin, StyledModelForm):
    class Meta:
        model = MaintenanceTeam
        fields = ["name", "leader", "members", "phone", "is_active"]
        widgets = {"members": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = workers(self.school_id)
        self.fields["leader"].queryset = people  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
        members = self.fields["members"].widget
        members.attrs["class"] = "form-check-input"
        members.template_name = "maintenance/team_members_widget.html"
        self.fields["members"].help_text = _("The school's maintenance workers.")

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        self.unique_in_school("name", name, _("The school already has a team of this name."))
        return name


class RuleForm(SchoolFormMixin, StyledModelForm):
    class Meta:
        model = DispatchRule
        fields = ["category", "building", "assignee", "team", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RepairCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["building"].queryset = Building.objects.filter(  # type: ignore[attr-defined]
            school_id=self.school_id
        ).order_by("name")
        self.fields["assignee"].queryset = workers(self.school_id)  # type: ignore[attr-defined]
        self.fields["team"].queryset = MaintenanceTeam.objects.filter(  # type: ignore[attr-defined]
            school_id=self.school_id, is_active=True
        )
        self.fields["assignee"].help_text = _(
            "A worker, or a team (the order then goes to its leader), or both."
        )


class CalendarDayForm(SchoolFormMixin, StyledModelForm):
    class Meta:
        model = WorkCalendarDay
        fields = ["date", "is_working", "name"]
        help_texts = {
            "is_working": _("Ticked: a weekend day worked (调休). Not ticked: a holiday."),
        }

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        self.unique_in_school("date", day, _("This day is already in the calendar."))
        return day


class CalendarRangeForm(StyledFormMixin, forms.Form):
    """Several days at once: a holiday week, or the summer holiday."""

    start = forms.DateField(label=_("from"))
    end = forms.DateField(label=_("to"))
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    is_working = forms.BooleanField(
        label=_("working days"),
        required=False,
        help_text=_("Ticked: the days are worked (调休). Not ticked: holidays."),
    )
    skip_weekends = forms.BooleanField(
        label=_("only days that are otherwise working days"),
        required=False,
        initial=True,
        help_text=_("Holidays: leave out weekends, which are off anyway."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The range must end on or after its first day."))
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error(
                    "end", _("Enter at most %(n)s days at once.") % {"n": MAX_RANGE_DAYS}
                )
        return data


class RuleTestForm(StyledFormMixin, forms.Form):
    """Who would get an order of this category in this building?"""

    category = forms.ModelChoiceField(
        label=_("category"), queryset=RepairCategory.objects.none(), required=False
    )
    building = forms.ModelChoiceField(
        label=_("building"), queryset=Building.objects.none(), required=False
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RepairCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["building"].queryset = Building.objects.filter(  # type: ignore[attr-defined]
            school_id=school_id
        ).order_by("name")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
