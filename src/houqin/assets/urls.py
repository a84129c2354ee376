from .urlconf import damage, depreciation, disposal, movements, register, stocktakes

app_name = "assets"
AREAS = (register, depreciation, movements, damage, disposal, stocktakes)
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]
