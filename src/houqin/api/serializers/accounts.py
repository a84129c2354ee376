"""People (read only), the caller (``me``) and API tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.accounts.models import Membership, User
from houqin.core.scoping import permission_map

from ..models import ApiToken
from ..services import MAX_LIFETIME_DAYS


class MembershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    school_name = serializers.CharField(source="school.name", read_only=True, default=None)
    district_name = serializers.CharField(source="district.name", read_only=True, default=None)
    role = serializers.CharField(source="role.code", read_only=True)
    role_name = serializers.CharField(source="role.display_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)

    class Meta:
        model = Membership
        fields = [
            "id",
            "school",
            "school_name",
            "district",
            "district_name",
            "role",
            "role_name",
            "department",
            "department_name",
            "title",
            "is_active",
        ]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A person as seen by a holder of ``accounts.view_user``: only the memberships in the
    caller's scope; the phone number (personal data) only where the caller holds the
    permission in one of the person's schools."""

    phone = serializers.SerializerMethodField()
    memberships = MembershipSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "phone", "staff_no", "is_active", "memberships"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, obj: User) -> str | None:
        # ``visible_memberships`` holds only memberships where the caller may view people.
        return obj.phone if getattr(obj, "visible_memberships", None) else None


class SchoolPermissionsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    permissions = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    memberships = MembershipSerializer(source="active_memberships", many=True, read_only=True)
    schools = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "phone",
            "email",
            "staff_no",
            "default_school",
            "is_superuser",
            "memberships",
            "schools",
        ]
        read_only_fields = fields

    @extend_schema_field(SchoolPermissionsSerializer(many=True))
    def get_schools(self, obj: User) -> list[dict[str, Any]]:
        """Every school the caller may act in, with the permissions held there."""
        from houqin.org.models import School

        pmap = permission_map(obj)
        names = dict(School.objects.filter(pk__in=pmap).values_list("pk", "name"))
        return [
            {"school": pk, "school_name": names.get(pk, ""), "permissions": sorted(perms)}
            for pk, perms in sorted(pmap.items())
        ]


class TokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, obj: ApiToken) -> bool:
        return obj.is_active()


class TokenRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(
        max_length=150, help_text=_("Username or mobile phone number.")
    )
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("What the token is for, to recognise it in the list."),
    )
    lifetime_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        help_text=_("Days until the token expires."),
    )


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text=_("The token itself: shown only this once.")
    )

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]
        read_only_fields = fields
