"""Attachments of the objects the caller may see (read only). They follow their owner:
seeing one needs the owner's ``view_`` permission and the owner within scope, exactly as
the web's ``core.attachments.access``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from houqin.core.attachments.access import owner_of, perm_name, supports_attachments
from houqin.core.attachments.models import Attachment
from houqin.core.scoping import all_permissions, school_ids
from houqin.core.views.mixins import narrow

from ..serializers.attachments import AttachmentSerializer


def visible_attachments(user: Any) -> QuerySet[Attachment]:
    """Attachments whose owner ``user`` may see: one condition per kind of owner."""
    perms = all_permissions(user)
    condition = Q(pk__in=[])
    kinds = (
        Attachment.objects.filter(school_id__in=school_ids(user))
        .order_by()
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    for content_type_id in kinds:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not supports_attachments(model):
            continue
        perm = perm_name(model, "view")
        if perm not in perms and "*" not in perms:
            continue
        owners = narrow(model._default_manager.all(), user, perm).values("pk")
        condition |= Q(content_type_id=content_type_id, object_id__in=owners)
    return Attachment.objects.filter(condition)


class ContentTypeFilter(django_filters.CharFilter):
    """``app_label.model`` of the owner, for example ``org.room``."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        app_label, _dot, model = str(value).lower().partition(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            raise exceptions.ValidationError(
                {"content_type": [_("Unknown object type; use app_label.model, e.g. org.room.")]}
            ) from None
        return qs.filter(content_type=content_type)


class AttachmentFilter(django_filters.FilterSet):
    content_type = ContentTypeFilter(max_length=100, label=_("object type"))
    object_id = django_filters.NumberFilter(min_value=0, label=_("object id"))

    class Meta:
        model = Attachment
        fields = ["content_type", "object_id"]


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = AttachmentFilter
    lookup_value_regex = r"[0-9]+"
    search_fields = ("original_name", "description")
    ordering_fields = ("created_at", "original_name", "size")
    ordering = ("-created_at",)

    def get_queryset(self) -> QuerySet[Attachment]:
        user = self.request.user
        if self.action == "retrieve":
            return Attachment.objects.select_related("uploaded_by")
        return visible_attachments(user).select_related("uploaded_by")

    def get_object(self) -> Attachment:
        """403 without the owner's view permission, 404 outside scope (like the download)."""
        attachment: Attachment = super().get_object()
        owner_of(self.request.user, attachment)
        return attachment
