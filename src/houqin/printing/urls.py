from .urlconf import jobs, reports

app_name = "printing"
AREAS = (jobs, reports)
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]
