"""Import people with their membership of the target school."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.imports import ImportColumn, ImportContext, ImportSpec, Lookup, Text

from .models import Membership, Role, User

PASSWORD_HASHES = "accounts.password_hashes"


def school_roles(ctx: ImportContext) -> QuerySet[Any]:
    return Role.objects.filter(scope=Role.Scope.SCHOOL).order_by("sort_order", "code")


def school_departments(ctx: ImportContext) -> QuerySet[Any]:
    from houqin.org.models import Department

    return Department.objects.filter(school=ctx.school).order_by("sort_order", "name")


def first_department(ctx: ImportContext) -> str:
    department = school_departments(ctx).first()
    return department.name if department is not None else ""


class UserImport(ImportSpec):
    """One person per row, with a membership (role, department, job title) in the school.
    A username that exists already is an error: existing people are not changed."""

    model = User
    columns = (
        ImportColumn(
            "username", _("username"), Text(max_length=150), required=True, example="zhangsan"
        ),
        ImportColumn(
            "real_name", _("real name"), Text(max_length=50), required=True, example="张三"
        ),
        ImportColumn(
            "phone",
            _("mobile phone"),
            Text(max_length=11),
            help=_("11 digits; used to log in, so each number only once."),
            example="13800138000",
        ),
        ImportColumn("staff_no", _("staff number"), Text(max_length=30), example="T0001"),
        ImportColumn("email", _("email address"), Text(max_length=254), example=""),
        ImportColumn(
            "role",
            _("role"),
            Lookup(
                school_roles,
                keys=("name", "name_en", "code"),
                display=lambda role: role.display_name,
                not_found=_("There is no role “%(value)s”."),
                description=_("A role, by its Chinese or English name or its code"),
            ),
            required=True,
            example=lambda ctx: Role.objects.filter(code="teacher").first() or "",
        ),
        ImportColumn(
            "department",
            _("department"),
            Lookup(
                school_departments,
                not_found=_("There is no department “%(value)s” in this school."),
                description=_("The name of a department of the school"),
            ),
            example=first_department,
        ),
        ImportColumn("title", _("job title"), Text(max_length=50), example=""),
        ImportColumn(
            "password",
            _("Password"),
            Text(max_length=128),
            required=True,
            help=_("The initial password: at least 8 characters, not only digits, not common."),
            aliases=("初始密码", "initial password"),
            example="Houqin-Start-2026",
        ),
    )

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Model]:
        user = User(
            username=values["username"],
            real_name=values["real_name"],
            phone=values["phone"] or None,
            staff_no=values["staff_no"] or "",
            email=values["email"] or "",
            default_school=ctx.school,
        )
        if values["password"] is not None:
            try:
                validate_password(values["password"], user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from None
        user._import_password = values["password"]  # type: ignore[attr-defined]
        membership = Membership(
            user=user,
            school=ctx.school,
            role=values["role"],
            department=values["department"],
            title=values["title"] or "",
        )
        return [user, membership]

    def clean_exclude(self, instance: Model) -> list[str]:
        excluded = super().clean_exclude(instance)
        return [*excluded, "password"] if isinstance(instance, User) else excluded

    def before_save(self, rows: list[list[Model]], ctx: ImportContext) -> None:
        """Hash the initial passwords. A hash costs about half a second, so people given the
        same initial password in one file share one hash: hashing each would make a file of
        a few hundred people outlast the request, and the password is the same anyway."""
        hashes: dict[str, str] = ctx.cache.setdefault(PASSWORD_HASHES, {})
        for instances in rows:
            user = cast(User, instances[0])
            password = user._import_password  # type: ignore[attr-defined]
            if password not in hashes:
                hashes[password] = make_password(password)
            user.password = hashes[password]
