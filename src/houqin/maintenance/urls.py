from .urlconf import config, orders, plans, reports, requests, worker

app_name = "maintenance"
AREAS = (requests, orders, worker, plans, reports, config)
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]
