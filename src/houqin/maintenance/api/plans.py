"""``/api/v1/pm-plans/``: preventive maintenance plans of the user's schools (list,
retrieve, create, change; pausing is ``is_active``), and ``generate``, which creates the
orders due up to a date through ``services.plans.plan_generate``."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ReadOnlyScopedViewSet, _integrity, acting
from houqin.assets.models import AssetCategory
from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views.mixins import narrow
from houqin.org.models import Room, School

from ..choices import Recurrence, Urgency
from ..models import MaintenancePlan, MaintenanceTeam, RepairCategory
from ..services import plans as services
from .common import ERRORS, WORK, refused, unknown

ADD = "maintenance.add_maintenanceplan"
CHANGE = "maintenance.change_maintenanceplan"
#: Dates a plan may use: far enough for any school's history and future.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
#: How far ahead ``generate`` may create orders.
MAX_AHEAD = datetime.timedelta(days=400)
REFUSALS: tuple[type[Exception], ...] = (services.PlanError, *ERRORS)


def _in_range(day: datetime.date | None, field: str) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError({field: [_("Choose a date between 2000 and 2100.")]})


class MaintenancePlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A plan. ``school`` is needed on creation only for users of several schools and never
    changes; rooms, team and worker must be of the plan's school."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), required=False, error_messages=unknown(_("Unknown school."))
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=RepairCategory.objects.filter(is_active=True),
        error_messages=unknown(gettext_lazy("Unknown category.")),
    )
    asset_category = serializers.PrimaryKeyRelatedField(
        queryset=AssetCategory.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages=unknown(gettext_lazy("Unknown asset category.")),
    )
    rooms = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(),
        many=True,
        required=False,
        error_messages=unknown(gettext_lazy("Unknown room.")),
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(gettext_lazy("Unknown person.")),
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=MaintenanceTeam.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(gettext_lazy("Unknown team.")),
    )
    dates = serializers.ListField(
        child=serializers.DateField(), required=False, max_length=366, default=list
    )
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50, default=list
    )
    recurrence_display = serializers.CharField(source="get_recurrence_display", read_only=True)
    category_name = serializers.CharField(source="category", read_only=True)

    class Meta:
        model = MaintenancePlan
        fields = [
            "id",
            "school",
            "name",
            "category",
            "category_name",
            "description",
            "recurrence",
            "recurrence_display",
            "interval",
            "dates",
            "start_date",
            "end_date",
            "lead_days",
            "asset_category",
            "rooms",
            "checklist",
            "urgency",
            "assignee",
            "team",
            "is_active",
            "next_due",
            "last_generated",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "next_due", "last_generated", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        perm = CHANGE if self.instance is not None else ADD
        fields["school"].queryset = narrow(School.objects.all(), user, ADD)
        if self.instance is not None:
            fields["school"].read_only = True
        fields["rooms"].child_relation.queryset = narrow(Room.objects.all(), user, perm)
        fields["team"].queryset = narrow(MaintenanceTeam.objects.all(), user, perm)
        fields["assignee"].queryset = narrow(get_user_model().objects.all(), user, None)
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["dates"] = [str(day) for day in instance.dates or []]
        return data

    def _school_id(self, attrs: dict[str, Any]) -> int:
        if self.instance is not None:
            return int(self.instance.school_id)
        school = attrs.get("school")
        if school is not None:
            return int(school.pk)
        user = getattr(self.context.get("request"), "user", None)
        allowed = school_ids(user, ADD)
        if len(allowed) != 1:
            raise serializers.ValidationError({"school": [_("Choose the school.")]})
        attrs["school"] = School.objects.get(pk=allowed[0])
        return allowed[0]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        school_id = self._school_id(attrs)
        current = self.instance

        def value(name: str) -> Any:
            return attrs[name] if name in attrs else getattr(current, name, None)

        for name in ("start_date", "end_date"):
            _in_range(value(name), name)
        dates = attrs.get("dates")
        if dates is not None:
            for day in dates:
                _in_range(day, "dates")
            attrs["dates"] = [day.isoformat() for day in sorted(set(dates))]
        recurrence = value("recurrence")
        listed = value("dates") or []
        if recurrence == Recurrence.DATES and not listed:
            raise serializers.ValidationError({"dates": [_("List at least one date.")]})
        if recurrence != Recurrence.DATES and listed:
            raise serializers.ValidationError(
                {"dates": [_("Dates are used only when the plan recurs “on listed dates”.")]}
            )
        start, end = value("start_date"), value("end_date")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": [_("The last date is before the first.")]}
            )
        strangers = [room for room in attrs.get("rooms", []) if room.school_id != school_id]
        if strangers:
            raise serializers.ValidationError(
                {
                    "rooms": [
                        _("These rooms belong to another school: %(rooms)s")
                        % {"rooms": "、".join(str(room) for room in strangers)}
                    ]
                }
            )
        team = attrs.get("team")
        if team is not None and team.school_id != school_id:
            raise serializers.ValidationError({"team": [_("The team belongs to another school.")]})
        worker = attrs.get("assignee")
        if worker is not None and not has_perm_in_school(worker, WORK, school_id):
            raise serializers.ValidationError(
                {"assignee": [_("This person is not a maintenance worker here.")]}
            )
        return attrs


class GenerateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Create the orders due up to this date (default: today plus the plan's lead days)."
        ),
    )


class GenerateResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    created = serializers.IntegerField()
    plan = MaintenancePlanSerializer()


class PlanFilter(ScopedFilterSet):
    recurrence = django_filters.ChoiceFilter(
        choices=Recurrence.choices, label=gettext_lazy("recurrence")
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=gettext_lazy("urgency"))
    category = django_filters.ModelChoiceFilter(
        queryset=RepairCategory.objects.all(), label=gettext_lazy("repair category")
    )
    is_active = YesNoFilter(field_name="is_active", label=gettext_lazy("active"))

    class Meta:
        model = MaintenancePlan
        fields = ["recurrence", "urgency", "category", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["category"].queryset = RepairCategory.objects.all()


class MaintenancePlanViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet
):
    queryset = MaintenancePlan.objects.all()
    serializer_class = MaintenancePlanSerializer
    filterset_class = PlanFilter
    search_fields = ("name", "description")
    ordering_fields = ("name", "next_due", "start_date")
    ordering = ("name",)
    http_method_names = ["get", "post", "put", "patch", "head"]

    def required_permission(self) -> str:
        if self.action == "generate":
            return CHANGE
        return super().required_permission()

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("category").prefetch_related("rooms")

    def get_serializer_class(self) -> Any:
        if self.action == "generate":
            return GenerateSerializer
        return MaintenancePlanSerializer

    def _save(self, serializer: Any) -> None:
        try:
            with acting(self.request), _integrity():
                plan = serializer.save()
                plan.full_clean()
                services.plan_refresh(plan=plan)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer)

    @extend_schema(request=GenerateSerializer, responses=GenerateResultSerializer)
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Create the plan's work orders due up to ``until`` that were not made yet."""
        plan = self.get_object()
        payload = GenerateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        today = timezone.localdate()
        until = payload.validated_data.get("until") or today + datetime.timedelta(
            days=plan.lead_days
        )
        if until > today + MAX_AHEAD or until < EARLIEST:
            raise serializers.ValidationError(
                {"until": [_("Choose a date within 400 days from today.")]}
            )
        if not plan.is_active:
            raise refused(services.PlanError(_("Resume the plan first.")))
        try:
            with acting(request):
                created = services.plan_generate(plan=plan, until=until, actor=request.user)
        except REFUSALS as exc:
            raise refused(exc) from exc
        fresh = self.get_queryset().get(pk=plan.pk)
        body = GenerateResultSerializer(
            {"created": created, "plan": fresh}, context=self.get_serializer_context()
        )
        return Response(body.data)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("pm-plans", MaintenancePlanViewSet, "maintenanceplan")]
