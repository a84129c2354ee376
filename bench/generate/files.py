"""Attachment metadata (photos and scans) for generated objects; the files themselves are not
written, so a download of a generated attachment answers 404."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from houqin.core.attachments.models import Attachment

from .base import Ctx


def add(
    ctx: Ctx, model: type[models.Model], owners: Iterable[tuple[int, int, int, datetime.datetime]]
) -> int:
    """One photo for each ``(object id, school id, uploader id, moment)``."""
    content_type = ContentType.objects.get_for_model(model).pk
    calls = ctx.shared.setdefault("files_calls", {})
    calls[model._meta.label] = calls.get(model._meta.label, 0) + 1
    # A second district beside the first (its schools numbered on) gets keys of its own.
    first = ctx.schools[0].index if ctx.schools else 0
    rng = ctx.rng(f"files:{model._meta.label}:{calls[model._meta.label]}:{first}")
    label = model._meta.model_name

    def rows() -> Iterable[dict[str, Any]]:
        for object_id, school_id, uploader, moment in owners:
            key = uuid.UUID(int=rng.getrandbits(128), version=4)
            yield {
                "created_at": moment,
                "updated_at": moment,
                "content_type_id": content_type,
                "object_id": object_id,
                "school_id": school_id,
                "key": key,
                "file": f"attachments/{moment:%Y/%m}/{key.hex}.jpg",
                "thumbnail": "",
                "original_name": f"{label}-{object_id}.jpg",
                "mime": "image/jpeg",
                "size": rng.randrange(80_000, 900_000),
                "sha256": hashlib.sha256(key.bytes).hexdigest(),
                "width": 1280,
                "height": 960,
                "uploaded_by_id": uploader,
                "description": "",
            }

    return ctx.insert(Attachment, rows())
