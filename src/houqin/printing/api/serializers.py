"""Print jobs in the API: the row, the new job, and the payloads of the actions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.core.views.mixins import narrow
from houqin.org.models import Department

from ..models import PrintJob


class PrintJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    purpose_display = serializers.CharField(source="get_purpose_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    requester_name = serializers.CharField(source="requester", read_only=True)

    class Meta:
        model = PrintJob
        fields = [
            "id",
            "number",
            "school",
            "status",
            "status_display",
            "title",
            "description",
            "department",
            "department_name",
            "requester",
            "requester_name",
            "purpose",
            "purpose_display",
            "pages",
            "copies",
            "duplex",
            "paper_size",
            "colour",
            "needed_by",
            "sheets_estimated",
            "sheets_used",
            "spoiled_sheets",
            "needs_approval",
            "operator",
            "paper_item",
            "submitted_at",
            "done_at",
            "created_at",
        ]
        read_only_fields = fields


class PrintJobCreateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A new job (a draft: submit it with the ``submit`` action)."""

    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        error_messages={
            "does_not_exist": _("Unknown department."),
            "incorrect_type": _("Unknown department."),
        },
    )

    class Meta:
        model = PrintJob
        fields = [
            "title",
            "description",
            "department",
            "purpose",
            "pages",
            "copies",
            "duplex",
            "paper_size",
            "colour",
            "needed_by",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        field = self.fields["department"]
        field.queryset = narrow(  # type: ignore[attr-defined]
            Department.objects.all(), getattr(request, "user", None), "printing.add_printjob"
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("description") or "").strip():
            raise serializers.ValidationError(
                {"description": [_("Describe the original (files are added on the web page).")]}
            )
        return attrs


class DoneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sheets_used = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    spoiled_sheets = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)


class PrintJobReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
