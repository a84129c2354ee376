from .calendar import SchoolYear, Term
from .departments import Department
from .places import Building, Campus, Room
from .schools import District, School

__all__ = ["Building", "Campus", "Department", "District", "Room", "School", "SchoolYear", "Term"]
