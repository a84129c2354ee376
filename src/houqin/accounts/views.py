"""Login, password, and the management pages for people, memberships and roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.models import AuditEntry
from houqin.core.schools import active_school_id
from houqin.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from houqin.org.selectors import related_block

from . import forms, selectors, services, tables
from .filters import UserFilter
from .models import Membership, Role, User
from .permissions import ACTIONS


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboards:home")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class UserListView(ObjectListView):
    model = User
    table_class = tables.UserTable
    filterset_class = UserFilter
    search_fields = ("real_name", "username", "phone", "staff_no")
    default_sort = "real_name"

    def narrow_to_active_school(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        active = active_school_id(self.request)
        if active is None:
            return queryset
        members = Membership.objects.filter(school_id=active).values("user_id")
        return queryset.filter(pk__in=members)

    def base_queryset(self) -> QuerySet[Any]:
        active = Membership.objects.filter(is_active=True).select_related("role")
        return User.objects.prefetch_related(
            Prefetch("memberships", queryset=active, to_attr="active_memberships")
        )


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    detail_fields = (
        "real_name",
        "username",
        "phone",
        "staff_no",
        "email",
        "is_active",
        "last_login",
        "date_joined",
    )

    def history(self, obj: Any) -> list[AuditEntry]:
        """The person's own changes and those of their memberships, newest first."""
        person = ContentType.objects.get_for_model(User)
        membership = ContentType.objects.get_for_model(Membership)
        membership_ids = [str(pk) for pk in obj.memberships.values_list("pk", flat=True)]
        return list(
            AuditEntry.objects.filter(
                Q(content_type=person, object_id=str(obj.pk))
                | Q(content_type=membership, object_id__in=membership_ids)
            )
            .select_related("actor", "content_type")
            .order_by("-created_at", "-id")[: self.history_limit]
        )

    def related(self, obj: Any) -> list[dict[str, Any]]:
        memberships = selectors.membership_list().filter(user=obj).visible_to(self.request.user)
        block = related_block(
            gettext_lazy("Roles and memberships"),
            tables.MembershipTable,
            memberships,
            "accounts:user_list",
            "",
        )
        block["more_url"] = None
        return [block]


class UserCreateView(ObjectEditView):
    model = User
    form_class = forms.UserCreateForm
    template_name = "accounts/user_create.html"

    def get_context_membership_form(self, data: Any = None) -> forms.MembershipForm:
        form = forms.MembershipForm(data=data, prefix="m", initial=self.get_initial())
        self.narrow_form_choices(form)
        return form

    def render(self, form: Any, obj: Any, membership_form: Any = None) -> HttpResponse:
        response = super().render(form, obj)
        response.context_data["membership_form"] = (  # type: ignore[attr-defined]
            membership_form or self.get_context_membership_form()
        )
        if membership_form is not None and membership_form.errors:
            response.status_code = 422
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(None, request.POST)
        membership_form = self.get_context_membership_form(request.POST)
        if not (form.is_valid() & membership_form.is_valid()):
            return self.render(form, None, membership_form)
        data = form.cleaned_data
        user = services.user_create(
            actor=request.user,
            username=data["username"],
            real_name=data["real_name"],
            password=data["password1"],
            phone=data.get("phone"),
            staff_no=data.get("staff_no", ""),
            email=data.get("email", ""),
            membership={
                k: membership_form.cleaned_data[k]
                for k in ("school", "role", "department", "title", "is_active")
            },
        )
        messages.success(request, _("Saved: %(name)s") % {"name": user})
        return HttpResponseRedirect(user.get_absolute_url())


class UserEditView(ObjectEditView):
    model = User
    form_class = forms.UserEditForm

    def save(self, form: Any) -> Any:
        user = form.save()
        if form.cleaned_data.get("new_password"):
            services.user_set_password(
                actor=self.request.user, user=user, password=form.cleaned_data["new_password"]
            )
        return user


class MembershipEditView(ObjectEditView):
    model = Membership
    form_class = forms.MembershipForm

    def get_user(self) -> User:
        users = User.objects.visible_to(self.request.user, self.get_permission_required())
        return get_object_or_404(users, pk=self.kwargs["user_pk"])

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and obj.user_id != self.kwargs["user_pk"]:
            raise_404()
        return obj

    def save(self, form: Any) -> Any:
        membership = form.save(commit=False)
        membership.user = self.get_user()
        return services.membership_save(actor=self.request.user, membership=membership)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_user()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = self.get_user()
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if obj is None:
            form.instance.user = user
        if not form.is_valid():
            return self.render(form, obj)
        saved = self.save(form)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(user.get_absolute_url())


def raise_404() -> None:
    from django.http import Http404

    raise Http404


class MembershipDeleteView(ObjectDeleteView):
    model = Membership

    def get_success_url(self, obj: Any) -> str:
        return str(obj.user.get_absolute_url())


class RoleListView(ObjectListView):
    model = Role
    table_class = tables.RoleTable
    search_fields = ("name", "name_en", "code")
    default_sort = "name"
    follows_active_school = False

    def base_queryset(self) -> QuerySet[Any]:
        return Role.objects.annotate(
            permission_count=Count("permissions", distinct=True),
            member_count=Count("memberships", distinct=True),
        )


class RoleDetailView(ObjectDetailView):
    model = Role
    template_name = "accounts/role_detail.html"
    detail_fields = ("name", "name_en", "code", "scope", "description", "is_system")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        obj = response.context_data["object"]  # type: ignore[attr-defined]
        response.context_data["permission_groups"] = permission_groups(  # type: ignore[attr-defined]
            obj.permissions.select_related("content_type").order_by(
                "content_type__app_label", "content_type__model", "codename"
            )
        )
        return response


def permission_groups(permissions: Any) -> list[tuple[str, list[str]]]:
    """Permissions grouped by the kind of object they are about, with translated names."""
    groups: dict[str, list[str]] = {}
    for perm in permissions:
        model = perm.content_type.model_class()
        label = str(model._meta.verbose_name_plural) if model else perm.content_type.model
        action = perm.codename.partition("_")[0]
        groups.setdefault(label, []).append(str(ACTIONS.get(action, perm.name)))
    return list(groups.items())


class RoleEditView(ObjectEditView):
    model = Role
    form_class = forms.RoleForm
    unscoped_choice_fields = ("permissions",)

    def save(self, form: Any) -> Any:
        role = form.save()
        return services.role_set_permissions(
            actor=self.request.user, role=role, permissions=list(form.cleaned_data["permissions"])
        )
