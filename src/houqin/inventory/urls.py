from .urlconf import counts, items, movements, reports, requisitions

app_name = "inventory"
AREAS = (requisitions, items, movements, counts, reports)
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]
