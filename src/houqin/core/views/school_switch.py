from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..schools import set_active_school


@require_POST
@login_required
def switch_school(request: HttpRequest) -> HttpResponse:
    """Choose the school the lists and dashboards show (or all of one's schools)."""
    if not set_active_school(request, request.POST.get("school", "")):
        messages.error(request, _("You do not belong to that school."))
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)
