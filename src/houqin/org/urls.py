from __future__ import annotations

from houqin.core.urls_helpers import crud_paths
from houqin.core.views.imports import import_paths

from . import views
from .imports import DepartmentImport, RoomImport
from .models import Building, Campus, Department, Room, SchoolYear, Term

app_name = "org"
urlpatterns = [
    *import_paths("rooms", "room", RoomImport),
    *import_paths("departments", "department", DepartmentImport),
    *crud_paths(
        "districts",
        "district",
        views.DistrictListView,
        views.DistrictDetailView,
        views.DistrictEditView,
        None,
    ),
    *crud_paths(
        "schools",
        "school",
        views.SchoolListView,
        views.SchoolDetailView,
        views.SchoolEditView,
        None,
        add=False,
    ),
    *crud_paths(
        "campuses",
        "campus",
        views.CampusListView,
        views.CampusDetailView,
        views.CampusEditView,
        views.delete_view(Campus),
    ),
    *crud_paths(
        "buildings",
        "building",
        views.BuildingListView,
        views.BuildingDetailView,
        views.BuildingEditView,
        views.delete_view(Building),
    ),
    *crud_paths(
        "rooms",
        "room",
        views.RoomListView,
        views.RoomDetailView,
        views.RoomEditView,
        views.delete_view(Room),
    ),
    *crud_paths(
        "departments",
        "department",
        views.DepartmentListView,
        views.DepartmentDetailView,
        views.DepartmentEditView,
        views.delete_view(Department),
    ),
    *crud_paths(
        "years",
        "schoolyear",
        views.SchoolYearListView,
        views.SchoolYearDetailView,
        views.SchoolYearEditView,
        views.delete_view(SchoolYear),
    ),
    *crud_paths(
        "terms",
        "term",
        views.TermListView,
        views.TermDetailView,
        views.TermEditView,
        views.delete_view(Term),
    ),
]
