from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .models import Membership, Role, User
from .permissions import permission_label


def managed_apps() -> list[str]:
    """Every Houqin app: a role may hold any of their permissions."""
    from django.apps import apps

    return [c.label for c in apps.get_app_configs() if c.name.startswith("houqin.")]


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class UserCreateForm(StyledModelForm):
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "real_name", "phone", "staff_no", "email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            probe = User(username=data.get("username", ""), real_name=data.get("real_name", ""))
            try:
                validate_password(data["password1"], probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserEditForm(StyledModelForm):
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        help_text=_("Leave empty to keep the current password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["real_name", "phone", "staff_no", "email", "is_active"]

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data.get("new_password", "")
        if password:
            validate_password(password, self.instance)
        return password


class MembershipForm(StyledModelForm):
    class Meta:
        model = Membership
        fields = ["school", "role", "department", "title", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.filter(scope=Role.Scope.SCHOOL)
        self.fields["school"].required = True


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class RoleForm(StyledModelForm):
    permissions = PermissionChoiceField(
        queryset=Permission.objects.none()
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("permissions"),
    )

    class Meta:
        model = Role
        fields = ["name", "name_en", "description", "sort_order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = (
            Permission.objects.filter(content_type__app_label__in=managed_apps())
            .select_related("content_type")
            .order_by("content_type__app_label", "content_type__model", "codename")
        )
        self.fields["permissions"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["permissions"] = list(
                self.instance.permissions.values_list("pk", flat=True)
            )
