"""Filter sets shared by pages (and later the API), narrowed to the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .views.mixins import narrow


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no filter whose empty choice means "all" (not Django's "unknown")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("1", _("Yes")), ("0", _("No"))])
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in ("1", "0"):
            return qs.filter(**{self.field_name: value == "1"})
        return qs


def school_level(model: Any) -> bool:
    """Objects that belong to one school (rooms, people, teams…), not schools themselves or
    choices shared by every school."""
    return getattr(model, "scope_field", None) not in (None, "id")


class ScopedFilterSet(django_filters.FilterSet):
    """Choices in filters only offer what the user may see; widgets get Bootstrap classes."""

    #: The filters ``defer_school_choices`` took away (the page says to choose a school).
    deferred: tuple[str, ...] = ()

    def defer_school_choices(self) -> tuple[str, ...]:
        """Over several schools (a bureau's "all my schools"), the choices of school-level
        objects would be every room and person of the district: such a filter is offered
        once a school is chosen. One set in the address stays, with only its own choice."""
        deferred = []
        for name, field in list(self.form.fields.items()):
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            if not school_level(field.queryset.model):
                continue
            value = self.data.get(self.form.add_prefix(name)) if self.is_bound else None
            if value in (None, ""):
                del self.form.fields[name]
                self.filters.pop(name, None)
                deferred.append(name)
            elif str(value).isdigit():
                field.queryset = field.queryset.filter(pk=int(value))
        self.deferred = tuple(deferred)
        return self.deferred

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for field in self.form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = narrow(field.queryset, user, None)
                field.empty_label = _("All")
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", f"{css} {css}-sm")
