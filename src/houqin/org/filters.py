from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet, YesNoFilter

from .choices import AppraisalGrade, BuildingUse, RoomUse, SchoolKind
from .models import Building, Campus, Room, School


class SchoolFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=SchoolKind.choices, label=_("type"))

    class Meta:
        model = School
        fields = ["kind", "district"]


class BuildingFilter(ScopedFilterSet):
    use = django_filters.ChoiceFilter(choices=BuildingUse.choices, label=_("use"))
    appraisal_grade = django_filters.ChoiceFilter(
        choices=AppraisalGrade.choices, label=_("appraisal")
    )

    class Meta:
        model = Building
        fields = ["campus", "use", "appraisal_grade"]


class RoomFilter(ScopedFilterSet):
    use = django_filters.ChoiceFilter(choices=RoomUse.choices, label=_("use"))
    floor = django_filters.NumberFilter(label=_("floor"))
    is_active = YesNoFilter(label=_("in use"))

    class Meta:
        model = Room
        fields = ["building", "floor", "use", "is_active"]


class CampusFilter(ScopedFilterSet):
    class Meta:
        model = Campus
        fields = ["school"]
