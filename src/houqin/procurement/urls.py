from .urlconf import acceptance, orders, reports, requests, suppliers

app_name = "procurement"
AREAS = (requests, orders, acceptance, suppliers, reports)
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]
