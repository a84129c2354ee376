"""People, roles (groups of permissions, stored as data) and memberships."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AuditedModel
from houqin.core.scoping import school_ids

phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, for example 13800138000.")
)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> UserQuerySet:
        """People holding a membership the user may see (with ``perm``)."""
        members = Membership.objects.visible_to(user, perm).values("user_id")
        return self.filter(pk__in=members)


class HouqinUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser, AuditedModel):
    real_name = models.CharField(_("real name"), max_length=50)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[phone_validator],
    )
    staff_no = models.CharField(_("staff number"), max_length=30, blank=True)
    default_school = models.ForeignKey(
        "org.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default school"),
    )

    objects = HouqinUserManager()
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", "last_login")
    scope_field: ClassVar[str] = "memberships__school_id"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.real_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.phone == "":
            self.phone = None
        super().save(*args, **kwargs)

    def audit_school_id(self) -> int | None:
        return self.default_school_id


class RoleQuerySet(models.QuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> RoleQuerySet:
        """Roles are shared by all schools: visible to whoever holds ``perm`` somewhere."""
        return self if school_ids(user, perm) else self.none()


class Role(AuditedModel):
    """A persona (校长, 总务主任, 维修工…) as a named set of permissions an admin can adjust."""

    class Scope(models.TextChoices):
        SCHOOL = "school", _("School")
        DISTRICT = "district", _("District")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.SCHOOL)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(
        Permission, blank=True, related_name="+", verbose_name=_("permissions")
    )
    is_system = models.BooleanField(_("built in"), default=False, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name if language.startswith("zh") else (self.name_en or self.name)

    def get_absolute_url(self) -> str:
        return reverse("accounts:role_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> MembershipQuerySet:
        from django.apps import apps

        schools = school_ids(user, perm)
        school_model = apps.get_model("org", "School")
        districts = school_model.objects.filter(pk__in=schools).values("district_id")
        return self.filter(models.Q(school_id__in=schools) | models.Q(district_id__in=districts))


class Membership(AuditedModel):
    """A person's role in one school (with a department) or in one district."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    school = models.ForeignKey(
        "org.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("district"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("role")
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    title = models.CharField(_("job title"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school", "role__sort_order", "user__real_name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(school__isnull=False, district__isnull=True)
                    | models.Q(school__isnull=True, district__isnull=False)
                ),
                name="accounts_membership_school_xor_district",
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="accounts_membership_unique_school_role",
                condition=models.Q(school__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "district", "role"],
                name="accounts_membership_unique_district_role",
                condition=models.Q(district__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "role"]),
            models.Index(fields=["user", "is_active"]),
        ]

    def __str__(self) -> str:
        where = self.school or self.district
        return f"{self.user} · {self.role} · {where}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.user_id])

    def audit_school_id(self) -> int | None:
        return self.school_id

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.role_id:
            if self.role.scope == Role.Scope.DISTRICT and not self.district_id:
                errors["district"] = _("A district role needs a district.")
            if self.role.scope == Role.Scope.SCHOOL and not self.school_id:
                errors["school"] = _("A school role needs a school.")
        if self.school_id and self.district_id:
            errors["district"] = _("Choose either a school or a district, not both.")
        if self.department_id and self.department.school_id != self.school_id:
            errors["department"] = _("The department must belong to the same school.")
        if errors:
            raise ValidationError(errors)
