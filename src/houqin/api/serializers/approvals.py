"""Approval requests (inbox, detail with steps and history) and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.approvals import selectors
from houqin.approvals.models import ApprovalAction, ApprovalRequest, ApprovalRequestStep


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


class SubjectSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField(help_text=_("app_label.model of the approved object"))
    id = serializers.IntegerField()


class ApprovalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    request_type_display = serializers.CharField(source="get_request_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requester_name = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    subject = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "school",
            "request_type",
            "request_type_display",
            "title",
            "amount",
            "category",
            "department",
            "department_name",
            "requester",
            "requester_name",
            "status",
            "status_display",
            "round",
            "current_order",
            "submitted_at",
            "decided_at",
            "subject",
            "web_url",
        ]
        read_only_fields = fields

    def get_requester_name(self, obj: ApprovalRequest) -> str | None:
        return _name(obj.requester)

    @extend_schema_field(SubjectSerializer)
    def get_subject(self, obj: ApprovalRequest) -> dict[str, Any]:
        content_type = ContentType.objects.get_for_id(obj.content_type_id)
        return {"type": f"{content_type.app_label}.{content_type.model}", "id": obj.object_id}


class StepSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    approver_label = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    acted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequestStep
        fields = [
            "id",
            "order",
            "name",
            "approver_kind",
            "role",
            "approver",
            "approver_label",
            "status",
            "status_display",
            "acted_by",
            "acted_by_name",
            "acted_at",
            "reason",
        ]
        read_only_fields = fields

    def get_acted_by_name(self, obj: ApprovalRequestStep) -> str | None:
        return _name(obj.acted_by)


class ActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalAction
        fields = [
            "id",
            "round",
            "step",
            "action",
            "action_display",
            "actor",
            "actor_name",
            "reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj: ApprovalAction) -> str | None:
        return _name(obj.actor)


class ApprovalDetailSerializer(ApprovalSerializer):
    steps = StepSerializer(source="api_steps", many=True, read_only=True)
    history = ActionSerializer(source="api_actions", many=True, read_only=True)
    can_act = serializers.SerializerMethodField()
    can_withdraw = serializers.SerializerMethodField()

    class Meta(ApprovalSerializer.Meta):
        fields = [*ApprovalSerializer.Meta.fields, "steps", "history", "can_act", "can_withdraw"]
        read_only_fields = fields

    def get_can_act(self, obj: ApprovalRequest) -> bool:
        user = self.context["request"].user
        current = next((s for s in obj.api_steps if s.status == "pending"), None)  # type: ignore[attr-defined]
        if current is None:
            return False
        current.request = obj
        return selectors.can_act(user, current)

    def get_can_withdraw(self, obj: ApprovalRequest) -> bool:
        user = self.context["request"].user
        return obj.requester_id == user.pk and obj.status in ("pending", "returned")


class DecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Required when rejecting or returning for revision."),
    )
