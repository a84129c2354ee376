"""Photos on repair requests and work orders: at most nine, each a real image.

A cheap check before anything is saved (count, declared size, the file's first bytes); the
full content check (decoding, re-encoding without EXIF) runs when the attachments are stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from houqin.core.uploads import max_upload_bytes, refuse_size, sniff

MAX_PHOTOS = 9
#: Enough of a file to tell an image from anything else (HEIC brands sit in the first box).
SNIFF_BYTES = 4096


class PhotoError(Exception):
    """A refused photo; the message is meant for the user, ``code`` for the API."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_photos(photos: Sequence[Any]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise PhotoError(
            _("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="too_many_photos"
        )
    limit = max_upload_bytes()
    for photo in photos:
        name = getattr(photo, "name", "") or _("photo")
        declared = getattr(photo, "size", None)
        if isinstance(declared, int) and declared > limit:
            raise PhotoError(f"{name}: {refuse_size(limit).messages[0]}", code="too_large")
        if hasattr(photo, "seek"):
            photo.seek(0)
        head = photo.read(SNIFF_BYTES)
        if hasattr(photo, "seek"):
            photo.seek(0)
        try:
            is_image = bool(head) and sniff(head, str(name)).is_image
        except ValidationError:
            is_image = False
        if not is_image:
            raise PhotoError(
                _("%(name)s: only photos (JPEG, PNG, GIF, WebP, HEIC) can be attached.")
                % {"name": name},
                code="not_image",
            )
