from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "houqin_last_seen"
REFRESH_EVERY = 60  # seconds: write the session at most once a minute


class IdleTimeoutMiddleware:
    """End a session after ``HOUQIN_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if isinstance(last, int) and now - last > settings.HOUQIN_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, int) or now - last >= REFRESH_EVERY:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
