"""Asset labels: which assets to print, the absolute scan URL and its QR code.

A label shows the school, the asset code, the name and the room, and a QR code of the
ABSOLUTE scan URL of the asset's public code (``/assets/a/<public_code>/``), so that any
phone camera opens it. Two layouts: a 50×30 mm label printer (one label a page) and A4
sheets of 3×8 labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Asset
from .register import AssetError

PRINT_PERM = "assets.print_asset_labels"
#: The most labels one PDF holds. WeasyPrint lays out about 25 labels a second on a small
#: server, so 600 labels (25 A4 sheets) stay well within the web server's 60 s timeout.
MAX_LABELS = 600
#: Query parameters of the register list that are not filters.
NOT_FILTERS = ("page", "sort", "export", "layout")


@dataclass(frozen=True)
class Layout:
    code: str
    label: Any
    template: str
    per_page: int
    columns: int


LAYOUTS: dict[str, Layout] = {
    layout.code: layout
    for layout in (
        Layout(
            "printer",
            gettext_lazy("Label printer, 50 × 30 mm, one label a page"),
            "assets/label_printer.html",
            1,
            1,
        ),
        Layout(
            "a4",
            gettext_lazy("A4 sheet of 24 labels (3 × 8, 64 × 34 mm)"),
            "assets/label_sheet.html",
            24,
            3,
        ),
    )
}
DEFAULT_LAYOUT = "a4"


def scan_url(asset: Asset, request: HttpRequest | None = None) -> str:
    """The absolute URL a phone opens when it scans the asset's label."""
    path = reverse("assets:scan", args=[asset.public_code])
    base = str(getattr(settings, "HOUQIN_BASE_URL", "") or "").rstrip("/")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_data_uri(url: str) -> str:
    """A PNG data URI of a QR code of ``url`` (error correction M survives a worn label).

    One module is 4 px: scaled to 20–24 mm the code prints sharp at 203 dpi and up, and
    WeasyPrint lays out PNGs faster than SVGs."""
    code = segno.make(url, error="m", micro=False)
    uri: str = code.png_data_uri(scale=4, border=0)
    return uri


def _parse_ids(raw: str) -> list[int]:
    ids = []
    for part in raw.replace(" ", "").split(","):
        if part.isdigit():
            ids.append(int(part))
    return ids


def select_assets(request: HttpRequest, params: QueryDict) -> QuerySet[Asset]:
    """The assets whose labels the user asked for: ``?ids=1,2,3`` (a selection of the
    register) or the register list's own filter query string, within the user's schools."""
    from houqin.core.schools import active_school_id

    queryset: QuerySet[Asset] = Asset.objects.visible_to(request.user, PRINT_PERM)
    active = active_school_id(request)
    if active is not None:
        queryset = queryset.filter(school_id=active)
    ids = params.get("ids", "")
    if ids:
        queryset = queryset.filter(pk__in=_parse_ids(ids)[: MAX_LABELS + 1])
    else:
        queryset = register_filter(request, params, queryset)
    return queryset.select_related("school", "room__building").order_by("code", "pk")


def register_filter(
    request: HttpRequest, params: QueryDict, queryset: QuerySet[Asset]
) -> QuerySet[Asset]:
    data = params.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    try:
        from ..filters_register import AssetFilter, only_active
    except ImportError:  # pragma: no cover - the register's filters are always there
        return queryset
    filterset = AssetFilter(data or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    queryset = only_active(queryset, data)
    query = data.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(code__icontains=query)
            | Q(name__icontains=query)
            | Q(serial_number__icontains=query)
            | Q(specification__icontains=query)
            | Q(brand__icontains=query)
        )
    return queryset


def label_rows(assets: QuerySet[Asset], request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """What each label shows; refuses more than ``MAX_LABELS`` labels or none."""
    rows = list(assets[: MAX_LABELS + 1])
    if not rows:
        raise AssetError(_("No assets match: there is no label to print."))
    if len(rows) > MAX_LABELS:
        raise AssetError(
            _(
                "At most %(max)d labels can be printed at once. Narrow the selection "
                "(for example by building, room or category) and print in several goes."
            )
            % {"max": MAX_LABELS}
        )
    return [
        {
            "school": asset.school.name,
            "code": asset.code,
            "name": asset.name,
            "room": str(asset.room) if asset.room_id else "",
            "qr": qr_data_uri(scan_url(asset, request)),
        }
        for asset in rows
    ]


def paged(rows: list[dict[str, Any]], layout: Layout) -> list[list[list[dict[str, Any]]]]:
    """Pages of rows of labels, for the sheet layout's fixed grid."""
    pages = []
    for start in range(0, len(rows), layout.per_page):
        chunk = rows[start : start + layout.per_page]
        pages.append([chunk[i : i + layout.columns] for i in range(0, len(chunk), layout.columns)])
    return pages
