"""The caller's own notifications."""

from __future__ import annotations

from rest_framework import serializers

from houqin.notifications import events
from houqin.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_label = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "event_label",
            "title",
            "body",
            "url",
            "school",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_event_label(self, obj: Notification) -> str:
        return str(events.get(obj.event).label)


class MarkedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    marked = serializers.IntegerField()
