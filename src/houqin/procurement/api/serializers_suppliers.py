"""Serializers of ``/api/v1/suppliers/``: a supplier with its qualifications (read only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from houqin.core.scoping import school_ids
from houqin.core.views.mixins import narrow
from houqin.org.models import School

from ..models import Supplier, SupplierQualification

ADD = "procurement.add_supplier"
UNKNOWN_SCHOOL = {
    "does_not_exist": gettext_lazy("Unknown school."),
    "incorrect_type": gettext_lazy("Unknown school."),
}


class QualificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupplierQualification
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "issued_by",
            "valid_until",
            "is_expired",
            "reminded_on",
            "notes",
        ]
        read_only_fields = fields


class SupplierSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A supplier. ``school`` is needed on creation only for users of several schools and
    never changes; the credit code is checked (length, characters, check character) and
    unique in the school."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), required=False, error_messages=UNKNOWN_SCHOOL
    )
    qualifications = QualificationSerializer(many=True, read_only=True)
    order_count = serializers.IntegerField(read_only=True)
    order_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    expiring_count = serializers.IntegerField(read_only=True)
    expired_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Supplier
        fields = [
            "id",
            "school",
            "name",
            "credit_code",
            "supplies",
            "contact_person",
            "phone",
            "email",
            "address",
            "bank_name",
            "bank_account",
            "is_active",
            "notes",
            "rating",
            "rated_deliveries",
            "order_count",
            "order_amount",
            "expiring_count",
            "expired_count",
            "qualifications",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "rating", "rated_deliveries", "created_at", "updated_at"]
        validators: list[Any] = []  # the service checks the code and its uniqueness
        extra_kwargs: dict[str, Any] = {"credit_code": {"validators": []}}

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["school"].queryset = narrow(School.objects.all(), user, ADD)
        if self.instance is not None:
            fields["school"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("school") is None:
            user = getattr(self.context.get("request"), "user", None)
            allowed = school_ids(user, ADD)
            if len(allowed) != 1:
                raise serializers.ValidationError({"school": [_("Choose the school.")]})
            attrs["school"] = School.objects.get(pk=allowed[0])
        return attrs

    def save_with(self, service: Any, actor: Any) -> Supplier:
        """Build the supplier from the validated data and save it through ``service``."""
        supplier = getattr(self, "instance", None) or Supplier()
        for name, value in self.validated_data.items():
            setattr(supplier, name, value)
        try:
            saved: Supplier = service(actor=actor, supplier=supplier)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        self.instance = saved
        return saved
