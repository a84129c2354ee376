"""Form helpers: Bootstrap classes on every widget, HTML5 date inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Django's own label for an empty choice; repeated here so that it is translated for every
# language Houqin speaks (Django ships no Chinese for it yet) and used for model choices too.
EMPTY_CHOICE = _("- Select an option -")


class StyledFormMixin:
    """Adds Bootstrap classes and sensible HTML input types to every field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = EMPTY_CHOICE
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(field, forms.DateField) and not isinstance(widget, forms.HiddenInput):
                widget.input_type = "date"  # type: ignore[attr-defined]
                widget.format = "%Y-%m-%d"  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class StyledModelForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
