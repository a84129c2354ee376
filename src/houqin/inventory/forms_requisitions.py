"""Forms of requisitions (head and line rows), issue and return quantities, and quotas."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.org.models import Department, Term

from .models import DepartmentQuota, Requisition, StockItem
from .services.requisitions import MAX_LINES, LineInput

LINE_FIELDS = ("item", "quantity", "note")


class RequisitionForm(StyledModelForm):
    """The head of a requisition; its lines come as repeated ``line-item``,
    ``line-quantity`` and ``line-note`` fields (one row each)."""

    class Meta:
        model = Requisition
        fields = ["department", "purpose", "needed_by"]
        widgets = {"purpose": forms.TextInput(attrs={"maxlength": 300})}

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items if items is not None else StockItem.objects.none()
        self.lines: list[LineInput] = []
        self.line_rows: list[dict[str, str]] = []
        department = self.fields["department"]
        department.queryset = Department.objects.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.lines, self.line_rows = self._clean_lines(data.get("department"))
        return data

    def _clean_lines(self, department: Any) -> tuple[list[LineInput], list[dict[str, str]]]:
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return [], []
        columns = {name: getlist(f"line-{name}") for name in LINE_FIELDS}
        count = min(max((len(v) for v in columns.values()), default=0), MAX_LINES + 5)
        rows: list[dict[str, str]] = []
        wanted: list[tuple[int, Decimal, str]] = []
        errors: list[str] = []
        for n in range(count):
            row = {
                name: (columns[name][n] if n < len(columns[name]) else "").strip()
                for name in LINE_FIELDS
            }
            rows.append(row)
            if not row["item"]:
                continue  # an empty row left on the page
            try:
                quantity = Decimal(row["quantity"] or "1")
            except InvalidOperation:
                errors.append(_("Line %(n)s: enter a number.") % {"n": n + 1})
                continue
            if not quantity.is_finite() or quantity <= 0:
                errors.append(_("Line %(n)s: the quantity must be more than zero.") % {"n": n + 1})
                continue
            if not row["item"].isdigit():
                errors.append(_("Line %(n)s: choose an item from the list.") % {"n": n + 1})
                continue
            wanted.append((int(row["item"]), quantity, row["note"][:200]))
        school_id = getattr(department, "school_id", None)
        found = {item.pk: item for item in self.items.filter(pk__in=[w[0] for w in wanted])}
        lines = []
        for item_id, quantity, note in wanted:
            item = found.get(item_id)
            if item is None or (school_id is not None and item.school_id != school_id):
                errors.append(_("An item chosen is not in this school's store."))
                continue
            lines.append(LineInput(item, quantity, note))
        if not wanted and not errors:
            errors.append(_("Add at least one item."))
        for error in errors:
            self.add_error(None, error)
        return lines, rows


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(max_length=300, label=gettext_lazy("reason"))


class QuotaForm(StyledModelForm):
    class Meta:
        model = DepartmentQuota
        fields = ["term", "department", "amount"]
        widgets = {"amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = self.fields["term"]
        term.queryset = Term.objects.select_related("school_year").order_by(  # type: ignore[attr-defined]
            "-start"
        )
        department = self.fields["department"]
        department.queryset = Department.objects.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        term, department = data.get("term"), data.get("department")
        if term is not None and department is not None and term.school_id != department.school_id:
            self.add_error("department", _("Choose a department of the term's school."))
        if department is not None:
            self.instance.school_id = department.school_id
        return data


def parse_quantities(data: Any, prefix: str) -> dict[int, str]:
    """``<prefix>-<line id>`` fields of a POST as {line id: raw quantity}."""
    found: dict[int, str] = {}
    for key in data:
        if key.startswith(f"{prefix}-"):
            line_id = key[len(prefix) + 1 :]
            if line_id.isdigit():
                found[int(line_id)] = (data.get(key) or "").strip() or "0"
    return found
