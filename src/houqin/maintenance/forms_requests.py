"""Forms of repair requests: the staff form, the no-login portal, triage, verify and rate."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.org.models import Room

from .choices import OPEN_STATUSES, Urgency
from .models import RepairCategory, WorkOrder
from .services.photos import MAX_PHOTOS
from .services.requests import MAX_DESCRIPTION

#: The portal form must be at least this old (seconds) when it comes back, and at most…
PORTAL_MIN_AGE = 3
PORTAL_MAX_AGE = 2 * 60 * 60
STAMP_SALT = "houqin.maintenance.portal"


def categories() -> QuerySet[RepairCategory]:
    return RepairCategory.objects.filter(is_active=True).order_by("sort_order", "code")


def portal_stamp(code: str, at: float | None = None) -> str:
    """A signed timestamp put in the portal form; a form sent back too fast is a robot."""
    return signing.dumps({"c": code, "t": at if at is not None else time.time()}, salt=STAMP_SALT)


def stamp_age(value: str, code: str) -> float | None:
    """Seconds since the form was made, or None when the stamp is forged or too old."""
    try:
        data = signing.loads(value, salt=STAMP_SALT, max_age=PORTAL_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != code:
        return None
    age = time.time() - float(data.get("t", 0))
    return age if age <= PORTAL_MAX_AGE else None


class RoomChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Room) -> str:
        return f"{obj.number} {obj.name}".strip()


class _RequestFields(forms.Form):
    category = forms.ModelChoiceField(
        queryset=RepairCategory.objects.none(),
        label=_("What is broken"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of fault it is.")},
    )
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what is wrong.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs.update(
            {
                "class": "form-control",
                "placeholder": _("For example: the ceiling fan does not turn"),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        photos = self.files.getlist("photos") if self.files else []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS})
        return data


class RequestForm(_RequestFields):
    """The staff form (报修): room, optional asset, category, description, urgency, contact."""

    room = RoomChoiceField(
        queryset=Room.objects.none(),
        label=_("Room"),
        error_messages={"required": _("Choose the room where the fault is.")},
    )
    asset = forms.ModelChoiceField(queryset=None, label=_("Asset (optional)"), required=False)
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        label=_("Urgency"),
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Contact"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, school_id: int | None, room: Room | None = None, **kw: Any):
        super().__init__(*args, **kw)
        from houqin.assets.models import Asset

        rooms = Room.objects.filter(school_id=school_id, is_active=True).select_related("building")
        self.fields["room"].queryset = rooms.order_by(  # type: ignore[attr-defined]
            "building__name", "floor", "number"
        )
        assets = Asset.objects.none()
        if room is not None:
            assets = Asset.objects.filter(school_id=school_id, room=room).order_by("code")
        self.fields["asset"].queryset = assets  # type: ignore[attr-defined]
        self.fields["asset"].label_from_instance = lambda a: f"{a.code} {a.name}"  # type: ignore[attr-defined]
        for name in ("room", "asset"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("reporter_name", "phone"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def room_groups(self) -> list[tuple[str, list[tuple[int, str, str]]]]:
        """Rooms by building, for the grouped select (with the code their QR poster holds)."""
        groups: dict[str, list[tuple[int, str, str]]] = {}
        field = self.fields["room"]
        for room in field.queryset:  # type: ignore[attr-defined]
            groups.setdefault(room.building.name, []).append(
                (room.pk, field.label_from_instance(room), room.public_code)  # type: ignore[attr-defined]
            )
        return list(groups.items())


class PortalForm(_RequestFields):
    """The no-login form at a room's or an asset's QR code."""

    reporter_name = forms.CharField(
        label=_("Your name"), max_length=50, error_messages={"required": _("Enter your name.")}
    )
    reporter_unit = forms.CharField(label=_("Class or department"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    # Anti-spam: a field people do not see, and the signed time the form was made.
    website = forms.CharField(required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, code: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.code = code
        if not self.is_bound:
            self.fields["stamp"].initial = portal_stamp(code)
        self.fields["reporter_unit"].widget.attrs.update(
            {"class": "form-control", "placeholder": _("For example 初二(3)班")}
        )
        self.fields["reporter_name"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "name"}
        )
        self.fields["phone"].widget.attrs.update(
            {"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def spam_reason(self) -> str:
        """Why the form looks automated ("" when it does not)."""
        if (self.data.get("website") or "").strip():
            return str(_("Your report could not be accepted. Please tell the logistics office."))
        age = stamp_age(self.data.get("stamp", ""), self.code)
        if age is None:
            return str(_("This form has expired. Please reload the page and fill it in again."))
        if age < PORTAL_MIN_AGE:
            return str(_("That was too fast. Please check your report and send it again."))
        return ""


class TriageRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TriageJoinForm(forms.Form):
    order = forms.ModelChoiceField(queryset=WorkOrder.objects.none(), label=_("Work order"))

    def __init__(self, *args: Any, school_id: int, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["order"].queryset = (  # type: ignore[attr-defined]
            WorkOrder.objects.filter(school_id=school_id, status__in=OPEN_STATUSES)
            .select_related("room__building")
            .order_by("-reported_at")
        )
        self.fields["order"].widget.attrs["class"] = "form-select form-select-sm"


class VerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", _("Fixed")), ("0", _("Still broken"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(max_length=500, required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={"required": _("Give 1 to 5 stars.")},
    )
    comment = forms.CharField(max_length=500, required=False)
