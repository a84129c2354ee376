"""Attachment metadata, with the link to the protected web download."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.core.attachments.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    content_type = serializers.SerializerMethodField()
    uploaded_by_name = serializers.SerializerMethodField()
    download_name = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "content_type",
            "object_id",
            "school",
            "original_name",
            "download_name",
            "mime",
            "size",
            "sha256",
            "width",
            "height",
            "description",
            "uploaded_by",
            "uploaded_by_name",
            "created_at",
            "download_url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(help_text="app_label.model of the owner"))
    def get_content_type(self, obj: Attachment) -> str:
        content_type = ContentType.objects.get_for_id(obj.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_uploaded_by_name(self, obj: Attachment) -> str | None:
        return str(obj.uploaded_by) if obj.uploaded_by is not None else None

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_download_url(self, obj: Attachment) -> str:
        """The web's download, which checks the owner again (a logged-in session)."""
        return self._absolute(obj.download_url())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, obj: Attachment) -> str | None:
        return self._absolute(obj.thumbnail_url()) if obj.thumbnail else None
