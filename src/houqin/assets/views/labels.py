"""Printing asset labels (one card, or a selection of the register) as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.pdf import pdf_response, render_pdf
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import ScopedViewMixin

from ..actions import asset_action, list_action
from ..models import Asset
from ..services.labels import (
    DEFAULT_LAYOUT,
    LAYOUTS,
    MAX_LABELS,
    PRINT_PERM,
    label_rows,
    paged,
    select_assets,
)
from ..services.register import AssetError


def _pdf(
    request: HttpRequest, assets: QuerySet[Asset], layout_code: str, name: str
) -> HttpResponse:
    layout = LAYOUTS[layout_code]
    rows = label_rows(assets, request)
    context = {
        "title": name,
        "labels": rows,
        "pages": paged(rows, layout),
    }
    pdf = render_pdf(layout.template, context, request=request)
    return pdf_response(pdf, f"{name}.pdf")


class LabelChoiceMixin(ScopedViewMixin):
    """GET without ``layout``: the page to choose a layout; with it: the PDF."""

    model = Asset
    permission_required = PRINT_PERM
    template_name = "assets/label_choose.html"

    def choose(
        self, count: int, params: QueryDict, back_url: str, subject: str, error: str = ""
    ) -> HttpResponse:
        hidden = [(k, v) for k, values in params.lists() if k != "layout" for v in values]
        context = {
            "title": _("Print labels"),
            "subject": subject,
            "count": count,
            "max_labels": MAX_LABELS,
            "too_many": count > MAX_LABELS,
            "error": error,
            "layouts": list(LAYOUTS.values()),
            "chosen": params.get("layout") or DEFAULT_LAYOUT,
            "hidden": hidden,
            "back_url": back_url,
            "breadcrumbs": [(_("Assets"), back_url), (_("Print labels"), None)],
        }
        return TemplateResponse(self.request, self.template_name, context)


class AssetLabelView(LabelChoiceMixin, View):
    """The label of one asset."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_object_or_404(self.get_queryset(), pk=pk)
        layout = request.GET.get("layout", "")
        if layout in LAYOUTS:
            queryset = Asset.objects.filter(pk=asset.pk).select_related("school", "room__building")
            return _pdf(request, queryset, layout, _("Label %(code)s") % {"code": asset.code})
        return self.choose(1, request.GET, asset.get_absolute_url(), str(asset))


class LabelSelectionView(LabelChoiceMixin, View):
    """The labels of a selection of the register: ``?ids=…`` or the list's filters."""

    def get(self, request: HttpRequest) -> HttpResponse:
        assets = select_assets(request, request.GET)
        layout = request.GET.get("layout", "")
        back = _register_url(request.GET)
        if layout in LAYOUTS:
            try:
                stamp = timezone.localdate().isoformat()
                return _pdf(request, assets, layout, _("Asset labels %(date)s") % {"date": stamp})
            except AssetError as exc:
                messages.error(request, str(exc))
        count = assets.count()
        subject = _("%(count)d assets of the register") % {"count": count}
        return self.choose(count, request.GET, back, subject)


def _register_url(params: QueryDict) -> str:
    query = params.copy()
    for key in ("layout", "ids"):
        query.pop(key, None)
    try:
        url = reverse("assets:asset_list")
    except Exception:  # the register's list is not there (yet)
        return "/"
    encoded = query.urlencode()
    return f"{url}?{encoded}" if encoded else url


@asset_action
def print_label_action(request: Any, asset: Any) -> list[dict[str, Any]]:
    if not has_perm_in_school(request.user, PRINT_PERM, asset.school_id):
        return []
    return [
        {
            "label": _("Print label"),
            "url": reverse("assets:asset_label", args=[asset.pk]),
            "icon": "qr-code",
            "style": "outline-secondary",
            "method": "get",
        }
    ]


@list_action
def print_labels_list_action(request: Any, query: str) -> list[dict[str, Any]]:
    if not school_ids(request.user, PRINT_PERM):
        return []
    url = reverse("assets:label_selection")
    return [
        {
            "label": _("Print labels for this selection"),
            "url": f"{url}?{query}" if query else url,
            "icon": "qr-code",
            "style": "outline-secondary",
            "method": "get",
        }
    ]
