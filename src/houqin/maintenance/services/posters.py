"""Room QR posters (扫码报修): one A4 poster a room with a big QR code of the ABSOLUTE
portal URL of the room, so that any phone camera opens the no-login request form."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.org.models import Room

from .requests import RequestError

#: The most posters one PDF holds (one A4 page each), to stay well within the web
#: server's timeout; print a building at a time.
MAX_POSTERS = 300


def absolute(path: str, request: HttpRequest | None = None) -> str:
    base = str(getattr(settings, "HOUQIN_BASE_URL", "") or "").rstrip("/")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def portal_url(room: Room, request: HttpRequest | None = None) -> str:
    """The absolute URL a phone opens when it scans the room's poster."""
    return absolute(reverse("maintenance:portal_room", args=[room.public_code]), request)


def qr_data_uri(url: str) -> str:
    """A PNG data URI of a QR code of ``url`` (error correction Q: posters get scuffed)."""
    code = segno.make(url, error="q", micro=False)
    uri: str = code.png_data_uri(scale=8, border=0)
    return uri


def poster_rooms(school_id: int, building_id: int | None = None) -> QuerySet[Room]:
    rooms = Room.objects.filter(school_id=school_id, is_active=True)
    if building_id is not None:
        rooms = rooms.filter(building_id=building_id)
    return rooms.select_related("school", "building").order_by("building__name", "floor", "number")


def poster_rows(rooms: QuerySet[Room], request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """What each poster shows; refuses none or more than ``MAX_POSTERS``."""
    found = list(rooms[: MAX_POSTERS + 1])
    if not found:
        raise RequestError(_("There is no room to print a poster for."))
    if len(found) > MAX_POSTERS:
        raise RequestError(
            _("At most %(max)d posters can be printed at once. Choose one building at a time.")
            % {"max": MAX_POSTERS}
        )
    rows = []
    for room in found:
        url = portal_url(room, request)
        rows.append(
            {
                "school": room.school.name,
                "building": room.building.name,
                "room": f"{room.number} {room.name}".strip(),
                "url": url,
                "qr": qr_data_uri(url),
            }
        )
    return rows
