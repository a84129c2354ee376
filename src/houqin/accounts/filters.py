from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.org.models import Department

from .models import Membership, Role, User


class UserFilter(ScopedFilterSet):
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(), label=_("role"), method="filter_role"
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department"), method="filter_department"
    )
    is_active = YesNoFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["role", "department", "is_active"]

    def filter_role(self, queryset: QuerySet[User], name: str, value: Role) -> QuerySet[User]:
        members = Membership.objects.filter(role=value, is_active=True).values("user_id")
        return queryset.filter(pk__in=members)

    def filter_department(
        self, queryset: QuerySet[User], name: str, value: Department
    ) -> QuerySet[User]:
        members = Membership.objects.filter(department=value, is_active=True).values("user_id")
        return queryset.filter(pk__in=members)
