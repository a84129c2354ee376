from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("houqin.dashboards.urls")),
    path("accounts/", include("houqin.accounts.urls")),
    path("org/", include("houqin.org.urls")),
    path("core/", include("houqin.core.urls")),
    path("approvals/", include("houqin.approvals.urls")),
    path("finance/", include("houqin.finance.urls")),
    path("assets/", include("houqin.assets.urls")),
    path("maintenance/", include("houqin.maintenance.urls")),
    path("inventory/", include("houqin.inventory.urls")),
    path("procurement/", include("houqin.procurement.urls")),
    path("printing/", include("houqin.printing.urls")),
    path("notifications/", include("houqin.notifications.urls")),
    path("api/v1/", include("houqin.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
