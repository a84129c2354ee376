from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolKind(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    SENIOR = "senior", _("Senior secondary school")
    COMPLETE = "complete", _("Complete secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    KINDERGARTEN = "kindergarten", _("Kindergarten")


class BuildingUse(models.TextChoices):
    TEACHING = "teaching", _("Teaching building")
    DORMITORY = "dormitory", _("Dormitory")
    CANTEEN = "canteen", _("Canteen")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    OFFICE = "office", _("Office building")
    LABORATORY = "laboratory", _("Laboratory building")
    LIBRARY = "library", _("Library")
    MIXED = "mixed", _("Mixed use")
    AUXILIARY = "auxiliary", _("Auxiliary building")
    OTHER = "other", _("Other")


class StructureType(models.TextChoices):
    REINFORCED_CONCRETE = "rc", _("Reinforced concrete")
    STEEL = "steel", _("Steel")
    BRICK_CONCRETE = "brick_concrete", _("Brick and concrete")
    BRICK_WOOD = "brick_wood", _("Brick and wood")
    SIMPLE = "simple", _("Simple structure")


class SeismicClass(models.TextChoices):
    SPECIAL = "A", _("Class A (special)")
    KEY = "B", _("Class B (key)")
    STANDARD = "C", _("Class C (standard)")
    MINOR = "D", _("Class D (minor)")


class AppraisalGrade(models.TextChoices):
    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")
    D = "D", _("Grade D (dangerous)")


class RoomUse(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    DORMITORY = "dormitory", _("Dormitory room")
    OFFICE = "office", _("Office")
    LABORATORY = "laboratory", _("Laboratory")
    FUNCTIONAL = "functional", _("Functional room")
    CANTEEN = "canteen", _("Canteen")
    KITCHEN = "kitchen", _("Kitchen")
    STOREROOM = "storeroom", _("Storeroom")
    TOILET = "toilet", _("Toilet")
    MEETING = "meeting", _("Meeting room")
    ACTIVITY = "activity", _("Activity room")
    EQUIPMENT = "equipment", _("Equipment room")
    CORRIDOR = "corridor", _("Corridor or stairs")
    OUTDOOR = "outdoor", _("Outdoor area")
    OTHER = "other", _("Other")


class DepartmentKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Principal's office")
    LOGISTICS = "logistics", _("General affairs (logistics)")
    ACADEMIC = "academic", _("Academic affairs")
    STUDENT = "student", _("Student affairs")
    FINANCE = "finance", _("Finance office")
    CANTEEN = "canteen", _("Canteen")
    GRADE = "grade", _("Grade group")
    SAFETY = "safety", _("Safety office")
    HEALTH = "health", _("Health room")
    OTHER = "other", _("Other")


class TermKind(models.TextChoices):
    AUTUMN = "autumn", _("First term (autumn)")
    SPRING = "spring", _("Second term (spring)")
