from django.urls import URLPattern

from houqin.core.navigation import MenuItem

urlpatterns: list[URLPattern] = []
MENU_ITEMS: tuple[MenuItem, ...] = ()
