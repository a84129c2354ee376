"""Search and ordering for the API; filter sets are the web's (``org.filters``,
``accounts.filters``), plus small ones for lists the web does not filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter, SearchFilter

from houqin.core.filters import ScopedFilterSet
from houqin.org.choices import DepartmentKind, TermKind
from houqin.org.models import Department, Term

MAX_SEARCH_LENGTH = 100
#: A database cannot compare NUL characters; very long searches are refused.
VALIDATORS = (ProhibitNullCharactersValidator(), MaxLengthValidator(MAX_SEARCH_LENGTH))


class Search(SearchFilter):
    """``?search=`` over the view's ``search_fields``; refuses what a database cannot compare."""

    def get_search_terms(self, request: Any) -> list[str]:
        value = request.query_params.get(self.search_param, "")
        try:
            for validator in VALIDATORS:
                validator(value)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({self.search_param: exc.messages}) from exc
        terms: list[str] = super().get_search_terms(request)
        return terms


class Ordering(OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``; a stable tie-break by id."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset


class DepartmentFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("kind"))

    class Meta:
        model = Department
        fields = ["school", "kind"]


class TermFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=TermKind.choices, label=_("term"))

    class Meta:
        model = Term
        fields = ["school", "school_year", "kind"]
