"""Work orders in the API: the list row, the full order with its clock, parts and linked
requests, the office's new order, and the payload of each action."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.assets.models import Asset
from houqin.core.views.mixins import narrow
from houqin.org.models import Room, School

from ..choices import OPEN_STATUSES, HoldReason, OrderStatus, Urgency
from ..models import MaintenanceTeam, RepairCategory, WorkOrder, WorkOrderPart
from .common import ADD_ORDERS, DISPATCH, UNKNOWN_ROOM, UNKNOWN_USER, PhotosField, unknown


def is_overdue(order: WorkOrder, now: datetime.datetime | None = None) -> bool:
    """Still open (not paused) and past its repair target, or not yet accepted and past its
    response target."""
    if order.status not in OPEN_STATUSES or order.status == OrderStatus.ON_HOLD:
        return False
    now = now or timezone.now()
    late_response = order.accepted_at is None and now > order.respond_due
    return late_response or now > order.resolve_due


class WorkOrderSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A row of the list."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    category_name = serializers.CharField(source="category", read_only=True)
    room_label = serializers.CharField(source="room", read_only=True, allow_null=True)
    building_name = serializers.CharField(source="building.name", read_only=True, allow_null=True)
    assignee_name = serializers.CharField(
        source="assignee.real_name", read_only=True, allow_null=True
    )
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "school",
            "status",
            "status_display",
            "source",
            "source_display",
            "title",
            "category",
            "category_name",
            "urgency",
            "urgency_display",
            "room",
            "room_label",
            "building",
            "building_name",
            "asset",
            "assignee",
            "assignee_name",
            "team",
            "team_name",
            "requester",
            "reported_at",
            "respond_due",
            "resolve_due",
            "accepted_at",
            "finished_at",
            "overdue",
            "escalation_level",
            "rating",
        ]
        read_only_fields = fields

    def get_overdue(self, order: WorkOrder) -> bool:
        return is_overdue(order, self.context.get("now"))


class PartSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = WorkOrderPart
        fields = ["id", "name", "specification", "quantity", "unit", "unit_price", "amount"]
        read_only_fields = fields


class ChecklistRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    item = serializers.CharField(max_length=200)
    done = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LinkedRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    reporter_name = serializers.CharField(read_only=True)


class WorkOrderDetailSerializer(WorkOrderSerializer):
    """The whole order: the clock, the work record, parts and the requests it answers."""

    hold_reason_display = serializers.CharField(source="get_hold_reason_display", read_only=True)
    escalation_display = serializers.CharField(
        source="get_escalation_level_display", read_only=True
    )
    requester_name = serializers.CharField(
        source="requester.real_name", read_only=True, allow_null=True
    )
    repeat_of_number = serializers.CharField(
        source="repeat_of.number", read_only=True, allow_null=True
    )
    checklist = ChecklistRowSerializer(many=True, read_only=True)
    parts = PartSerializer(source="api_parts", many=True, read_only=True)
    requests = LinkedRequestSerializer(source="api_requests", many=True, read_only=True)
    request_numbers = serializers.SerializerMethodField()

    class Meta(WorkOrderSerializer.Meta):
        fields = [
            *WorkOrderSerializer.Meta.fields,
            "description",
            "requester_name",
            "contact_name",
            "contact_phone",
            "plan",
            "campaign",
            "planned_for",
            "repeat_of",
            "repeat_of_number",
            "checklist",
            "assigned_at",
            "started_at",
            "held_at",
            "hold_reason",
            "hold_reason_display",
            "held_seconds",
            "closed_at",
            "response_seconds",
            "resolution_seconds",
            "responded_on_time",
            "resolved_on_time",
            "escalation_display",
            "escalated_at",
            "work_notes",
            "labour_minutes",
            "contractor",
            "contractor_cost",
            "parts_cost",
            "labour_cost",
            "total_cost",
            "parts",
            "requests",
            "request_numbers",
            "rating_comment",
            "cancel_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_request_numbers(self, order: WorkOrder) -> list[str]:
        return [linked.number for linked in getattr(order, "api_requests", [])]


class WorkOrderCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An order entered by the office. ``school`` only when the room or asset does not say
    it and the user works for several schools; ``assignee``/``team`` skip the dispatch rules."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), required=False, error_messages=unknown(_("Unknown school."))
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=RepairCategory.objects.filter(is_active=True),
        error_messages=unknown(_("Unknown category.")),
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(), required=False, allow_null=True, error_messages=UNKNOWN_ROOM
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown asset.")),
    )
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        error_messages=UNKNOWN_USER,
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=MaintenanceTeam.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown team.")),
    )
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        for name, model in (("school", School), ("room", Room), ("asset", Asset)):
            fields[name].queryset = narrow(model.objects.all(), user, ADD_ORDERS)
        fields["team"].queryset = narrow(MaintenanceTeam.objects.all(), user, ADD_ORDERS)
        fields["assignee"].queryset = narrow(get_user_model().objects.all(), user, None)
        return fields


class AssignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        error_messages=UNKNOWN_USER,
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=MaintenanceTeam.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown team.")),
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["assignee"].queryset = narrow(get_user_model().objects.all(), user, None)
        fields["team"].queryset = narrow(MaintenanceTeam.objects.all(), user, DISPATCH)
        return fields


class StartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    photos = PhotosField(help_text=_("“Before” photos (multipart only)."))


class HoldSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200)


class PartInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100)
    specification = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("10000"),
        default=Decimal("1"),
    )
    unit = serializers.CharField(max_length=20, required=False, default="个")
    unit_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        default=Decimal("0"),
    )


class FinishSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The work record. In a multipart form (with ``photos``), ``parts`` and ``checklist``
    are JSON text."""

    work_notes = serializers.CharField(max_length=4000)
    labour_minutes = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    parts = PartInputSerializer(many=True, required=False, max_length=50)
    contractor = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contractor_cost = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100000000"),
        default=Decimal("0"),
    )
    checklist = ChecklistRowSerializer(many=True, required=False, allow_null=True, max_length=50)
    photos = PhotosField(help_text=_("“After” photos (multipart only)."))


class FinishUploadSerializer(FinishSerializer):
    """The finish form as multipart: the lists as JSON text."""

    parts = serializers.CharField(required=False, help_text=_("JSON list of parts."))  # type: ignore[assignment]
    checklist = serializers.CharField(required=False, help_text=_("JSON list of checks."))  # type: ignore[assignment]


class VerifySerializer(serializers.Serializer):  # type: ignore[type-arg]
    accepted = serializers.BooleanField()
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
