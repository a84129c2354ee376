"""The caller's own notifications (nobody sees another person's): list, mark read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.notifications import services
from houqin.notifications.models import Notification

from ..serializers import notifications as s


class NotificationFilter(ScopedFilterSet):
    unread = YesNoFilter(field_name="read_at__isnull", label=_("unread"))

    class Meta:
        model = Notification
        fields = ["unread", "event"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    lookup_value_regex = r"[0-9]+"
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient_id=self.request.user.pk)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read."""
        notification = self.get_object()
        services.mark_read(request.user, [notification.pk])
        notification.refresh_from_db()
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=s.MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read_all")
    def read_all(self, request: Request) -> Response:
        """Mark every notification of the caller read."""
        return Response({"marked": services.mark_read(request.user, "all")})
