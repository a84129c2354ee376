"""Forms of the work order pages: the office's direct order, each workflow step, and the
worker's finish page (work record with parts rows, photos and the checklist)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin
from houqin.core.uploads import sniff
from houqin.org.models import Room

from .choices import HoldReason, Urgency
from .models import MaintenanceTeam, RepairCategory
from .services.people import workers
from .services.photos import MAX_PHOTOS

MAX_PARTS = 30
PART_FIELDS = ("name", "quantity", "unit", "unit_price", "stock_item")


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS`` pictures; anything that is not an image is refused by name."""

    widget = PhotosInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", PhotosInput(attrs={"accept": "image/*", "capture": "environment"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        refused = []
        for file in files:
            head = file.read(4096)
            file.seek(0)
            if not sniff(head, file.name or "").is_image:
                refused.append(file.name or "?")
        if refused:
            raise ValidationError(
                _("Only photos can be attached here, not: %(names)s")
                % {"names": "、".join(refused)},
                code="not_image",
            )
        return files


class Styled(StyledFormMixin, forms.Form):
    pass


def _team_choices(school_id: int) -> Any:
    return MaintenanceTeam.objects.filter(school_id=school_id, is_active=True).order_by("name")


class WorkOrderAddForm(Styled):
    """The office enters an order directly (a phone call, 随叫随到)."""

    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=_("room"), required=False)
    asset = forms.CharField(
        max_length=40,
        required=False,
        label=_("asset code"),
        help_text=_("Optional: the code on the asset's label."),
    )
    category = forms.ModelChoiceField(
        queryset=RepairCategory.objects.filter(is_active=True), label=_("category")
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL, label=_("urgency"))
    title = forms.CharField(max_length=200, label=_("title"))
    description = forms.CharField(
        max_length=4000, required=False, label=_("description"), widget=forms.Textarea({"rows": 3})
    )
    contact_name = forms.CharField(max_length=50, required=False, label=_("contact"))
    contact_phone = forms.CharField(
        max_length=30,
        required=False,
        label=_("contact phone"),
        widget=forms.TextInput({"type": "tel", "inputmode": "tel"}),
    )
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("worker"),
        help_text=_("Leave empty to dispatch by the school's rules."),
    )
    team = forms.ModelChoiceField(
        queryset=MaintenanceTeam.objects.none(), required=False, label=_("team")
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        from houqin.assets.models import Asset

        super().__init__(*args, **kwargs)
        self.school_id = school_id
        rooms = Room.objects.filter(school_id=school_id, is_active=True).select_related("building")
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self.assets = Asset.objects.filter(school_id=school_id).select_related("room__building")
        self.fields["assignee"].queryset = workers(school_id)  # type: ignore[attr-defined]
        self.fields["team"].queryset = _team_choices(school_id)  # type: ignore[attr-defined]

    def clean_asset(self) -> Any:
        code = (self.cleaned_data.get("asset") or "").strip()
        if not code:
            return None
        found = self.assets.filter(code=code).first()
        if found is None:
            raise ValidationError(
                _("No asset of the school has the code %(code)s.") % {"code": code}
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("room") and not data.get("asset"):
            raise ValidationError(_("Choose the room (or the asset) that needs the repair."))
        return data


class AssignForm(Styled):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("worker")
    )
    team = forms.ModelChoiceField(
        queryset=MaintenanceTeam.objects.none(), required=False, label=_("team")
    )
    reason = forms.CharField(max_length=200, required=False, label=_("note"))

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers(school_id)  # type: ignore[attr-defined]
        self.fields["team"].queryset = _team_choices(school_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("assignee") and not data.get("team"):
            raise ValidationError(_("Choose a worker or a team."))
        return data


class StartForm(Styled):
    photos = PhotosField(label=_("photos before the repair"))


class HoldForm(Styled):
    reason = forms.ChoiceField(choices=HoldReason.choices, label=_("why it waits"))
    note = forms.CharField(max_length=200, required=False, label=_("note"))


class ReasonForm(Styled):
    reason = forms.CharField(max_length=200, label=_("reason"))


class VerifyForm(Styled):
    accepted = forms.TypedChoiceField(
        choices=[("1", _("Yes, it is fixed")), ("0", _("No, still broken"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Is it fixed?"),
    )
    comment = forms.CharField(max_length=500, required=False, label=_("comment"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("accepted") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is still wrong."))
        return data


class RateForm(Styled):
    rating = forms.TypedChoiceField(
        choices=[(str(n), "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("rating"),
    )
    comment = forms.CharField(
        max_length=500, required=False, label=_("comment"), widget=forms.Textarea({"rows": 2})
    )


class FinishForm(Styled):
    """The worker's work record. Parts rows and checklist items come as repeated fields
    (``part-name``, ``part-quantity``…; ``check-<n>``, ``check-note-<n>``)."""

    work_notes = forms.CharField(
        max_length=4000, label=_("work done"), widget=forms.Textarea({"rows": 3})
    )
    labour_minutes = forms.IntegerField(
        min_value=0,
        max_value=100000,
        initial=0,
        label=_("labour (minutes)"),
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    contractor = forms.CharField(max_length=200, required=False, label=_("outside contractor"))
    contractor_cost = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0"),
        required=False,
        label=_("contractor cost (yuan)"),
        widget=forms.NumberInput({"inputmode": "decimal", "step": "0.01"}),
    )
    photos = PhotosField(label=_("photos after the repair"))

    def __init__(self, *args: Any, checklist: list[dict[str, Any]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.checklist_items = list(checklist or [])
        self.parts: list[dict[str, Any]] = []
        self.part_rows: list[dict[str, Any]] = []
        self.checklist: list[dict[str, Any]] | None = None

    def clean_contractor_cost(self) -> Decimal:
        return self.cleaned_data.get("contractor_cost") or Decimal("0")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.parts, self.part_rows = self._clean_parts()
        if self.checklist_items:
            self.checklist = [
                {
                    "item": row.get("item", ""),
                    "done": self.data.get(f"check-{n}") == "on",
                    "note": (self.data.get(f"check-note-{n}") or "").strip()[:200],
                }
                for n, row in enumerate(self.checklist_items)
            ]
        return data

    def _clean_parts(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return [], []
        columns = {name: getlist(f"part-{name}") for name in PART_FIELDS}
        count = max((len(v) for v in columns.values()), default=0)
        rows, parts, errors = [], [], []
        for n in range(count):
            row = {
                name: (columns[name][n] if n < len(columns[name]) else "").strip()
                for name in PART_FIELDS
            }
            rows.append(row)
            if not any(row[name] for name in ("name", "unit_price", "stock_item")):
                continue  # an empty row left on the page
            label = row["name"] or str(n + 1)
            from_store = int(row["stock_item"]) if row["stock_item"].isdigit() else None
            if not row["name"] and from_store is None:
                errors.append(_("Part %(row)s: name the item.") % {"row": n + 1})
                continue
            try:
                quantity = Decimal(row["quantity"] or "1")
                price = Decimal(row["unit_price"] or "0")
            except InvalidOperation:
                errors.append(_("Part “%(name)s”: enter numbers.") % {"name": label})
                continue
            if not quantity.is_finite() or quantity <= 0:
                errors.append(
                    _("Part “%(name)s”: the quantity must be more than 0.") % {"name": label}
                )
                continue
            if not price.is_finite() or price < 0:
                errors.append(_("Part “%(name)s”: the price cannot be negative.") % {"name": label})
                continue
            parts.append(
                {
                    "name": row["name"][:100],
                    "quantity": quantity,
                    "unit": (row["unit"] or "个")[:20],
                    "unit_price": price,
                    "stock_item_id": from_store,
                }
            )
        if len(parts) > MAX_PARTS:
            errors.append(_("At most %(n)s parts per order.") % {"n": MAX_PARTS})
        for error in errors:
            self.add_error(None, error)
        return parts, rows
