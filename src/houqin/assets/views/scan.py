"""What a phone sees when it scans an asset label (``/assets/a/<public_code>/``).

A member who may see the asset in its school goes to the asset's page; anyone else
(anonymous, or from another school) gets a small public page with only the school, the asset
code, the name and the room.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from houqin.core.scoping import has_perm_in_school

from ..models import Asset

VIEW_PERM = "assets.view_asset"


class ScanView(View):
    """Public: the label's QR code opens this page."""

    def get(self, request: HttpRequest, public_code: str) -> HttpResponse:
        asset = (
            Asset.objects.filter(public_code=public_code)
            .select_related("school", "room__building")
            .only(
                "pk",
                "school_id",
                "school__name",
                "code",
                "name",
                "room_id",
                "room__number",
                "room__name",
                "room__building__name",
            )
            .first()
        )
        if asset is None:
            raise Http404
        user = request.user
        if user.is_authenticated and has_perm_in_school(user, VIEW_PERM, asset.school_id):
            return HttpResponseRedirect(asset.get_absolute_url())
        scan = reverse("assets:scan", args=[public_code])
        login = redirect_to_login(scan)["Location"]
        context = {
            "title": asset.name,
            "school_name": asset.school.name,
            "code": asset.code,
            "name": asset.name,
            "room": str(asset.room) if asset.room_id else "",
            "login_url": login,
            "signed_in": user.is_authenticated,
            "report_url": reverse("maintenance:portal_asset", args=[public_code])
            if asset.room_id
            else "",
        }
        response = TemplateResponse(request, "assets/scan_public.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response
