"""Repair requests in the API: the request as reported, a new staff request, and triage."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from houqin.assets.models import Asset
from houqin.core.views.mixins import narrow
from houqin.org.models import Room, School

from ..choices import Urgency
from ..models import RepairCategory, RepairRequest, WorkOrder
from .common import REPORT, TRIAGE, UNKNOWN_ROOM, PhotosField, unknown

UNKNOWN_ORDER = unknown(_("Unknown work order."))


class RepairRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    category_name = serializers.CharField(source="category", read_only=True)
    room_label = serializers.CharField(source="room", read_only=True)
    building = serializers.IntegerField(source="room.building_id", read_only=True)
    work_order_number = serializers.CharField(
        source="work_order.number", read_only=True, allow_null=True
    )
    work_order_status = serializers.CharField(
        source="work_order.status", read_only=True, allow_null=True
    )

    class Meta:
        model = RepairRequest
        fields = [
            "id",
            "number",
            "school",
            "status",
            "status_display",
            "channel",
            "channel_display",
            "reporter",
            "reporter_name",
            "reporter_unit",
            "phone",
            "room",
            "room_label",
            "building",
            "asset",
            "category",
            "category_name",
            "description",
            "urgency",
            "urgency_display",
            "work_order",
            "work_order_number",
            "work_order_status",
            "reject_reason",
            "created_at",
        ]
        read_only_fields = fields


class RepairRequestCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A request from a member of staff (as JSON, or multipart with up to 9 ``photos``).
    ``join_order`` joins an open order for the same fault (已有人报修) instead of opening one."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), required=False, error_messages=unknown(_("Unknown school."))
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(), required=False, allow_null=True, error_messages=UNKNOWN_ROOM
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown asset.")),
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=RepairCategory.objects.filter(is_active=True),
        error_messages=unknown(_("Unknown category.")),
    )
    description = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reporter_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    reporter_unit = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    join_order = serializers.PrimaryKeyRelatedField(
        queryset=WorkOrder.objects.none(),
        required=False,
        allow_null=True,
        error_messages=UNKNOWN_ORDER,
    )
    photos = PhotosField(child=serializers.FileField(), help_text=_("Multipart only."))

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        for name, model in (("school", School), ("room", Room), ("asset", Asset)):
            fields[name].queryset = narrow(model.objects.all(), user, REPORT)
        fields["join_order"].queryset = narrow(WorkOrder.objects.all(), user, REPORT)
        return fields


class TriageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(
        choices=[
            ("accept", pgettext_lazy("triage", "Accept")),
            ("reject", _("Reject")),
            ("join", _("Join an order")),
        ]
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    order = serializers.PrimaryKeyRelatedField(
        queryset=WorkOrder.objects.none(),
        required=False,
        allow_null=True,
        error_messages=UNKNOWN_ORDER,
    )

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["order"].queryset = narrow(WorkOrder.objects.all(), user, TRIAGE)
        return fields


class DuplicateQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(), required=False, allow_null=True, error_messages=UNKNOWN_ROOM
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=RepairCategory.objects.all(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown category.")),
    )

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["room"].queryset = narrow(Room.objects.all(), user, REPORT)
        return fields


class DuplicateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An open work order for the same room and category (已有人报修)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    reported_at = serializers.DateTimeField()
    assignee_name = serializers.CharField(source="assignee.real_name", allow_null=True)


class DuplicateListSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField()
    results = DuplicateSerializer(many=True)
