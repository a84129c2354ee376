"""Filter sets shared by pages (and later the API), narrowed to the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from .views.mixins import narrow


class ScopedFilterSet(django_filters.FilterSet):
    """Choices in filters only offer what the user may see; widgets get Bootstrap classes."""

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for field in self.form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = narrow(field.queryset, user, None)
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", f"{css} {css}-sm")
