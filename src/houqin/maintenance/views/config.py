"""Configuration of the maintenance module (director, admin): targets and working hours,
repair categories, teams, dispatch rules with a test, the working calendar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.tables import display
from houqin.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)

from ..forms_config import (
    WEEKDAYS,
    CalendarDayForm,
    CalendarRangeForm,
    CategoryForm,
    RuleForm,
    RuleTestForm,
    SettingsForm,
    TeamForm,
)
from ..models import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    WorkCalendarDay,
)
from ..services import dispatch
from ..services.config import ConfigError, calendar_days_mark
from ..services.sla import settings_for
from ..tables_config import CalendarTable, RuleTable, TeamTable


def page_school_id(view: ScopedViewMixin) -> int:
    """The school a configuration page is for: the active one, else the user's first."""
    allowed = view.allowed_school_ids()
    active = active_school_id(view.request)
    if active in allowed:
        return int(active)  # type: ignore[arg-type]
    if not allowed:
        raise PermissionDenied
    return allowed[0]


class Named:
    """Pages whose URL names are ``maintenance:<prefix>_<action>``."""

    prefix = ""
    list_title: Any = ""
    model: Any
    request: HttpRequest

    def get_title(self) -> str:
        return str(self.list_title or self.model._meta.verbose_name_plural)

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"maintenance:{self.prefix}_{action}", args=args)

    def fix_crumbs(self, response: Any) -> Any:
        context = response.context_data
        crumbs = list(context.get("breadcrumbs") or [])
        if crumbs:
            crumbs[0] = (Named.get_title(self), self.url("list"))
            crumbs[-1] = (crumbs[-1][0], None)
            context["breadcrumbs"] = crumbs
        if context.get("cancel_url") in (None, "/"):
            context["cancel_url"] = self.url("list")
        return response


class NamedListView(Named, ObjectListView):
    def add_url(self) -> str | None:
        return self.url("add") if self.allowed_add() else None

    def may(self, verb: str) -> bool:
        return bool(
            school_ids(self.request.user, f"maintenance.{verb}_{self.model._meta.model_name}")
        )


class NamedEditView(Named, ObjectEditView):
    """Create or change a school's row; the school is the page's, choices follow it."""

    def form_school_id(self, obj: Any) -> int:
        return int(obj.school_id) if obj is not None else page_school_id(self)

    def get_form(self, obj: Any, data: Any = None) -> ModelForm[Any]:
        kwargs: dict[str, Any] = {
            "instance": obj,
            "data": data,
            "school_id": self.form_school_id(obj),
        }
        if obj is None:
            kwargs["initial"] = self.get_initial()
        form = self.form_class(**kwargs)
        self.narrow_form_choices(form)
        return form

    def render(self, form: ModelForm[Any], obj: Any) -> HttpResponse:
        return self.fix_crumbs(super().render(form, obj))  # type: ignore[no-any-return]


class NamedDeleteView(Named, ObjectDeleteView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.fix_crumbs(super().get(request, *args, **kwargs))  # type: ignore[no-any-return]

    def get_success_url(self, obj: Any) -> str:
        return self.url("list")


# Settings ------------------------------------------------------------------------------------


class SettingsView(ScopedViewMixin, View):
    """The school's targets, working hours and portal rules: holders of the change permission
    edit them, holders of the view permission read them."""

    model = MaintenanceSettings
    permission_required = "maintenance.view_maintenancesettings"

    def can_change(self, school_id: int) -> bool:
        return has_perm_in_school(
            self.request.user, "maintenance.change_maintenancesettings", school_id
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        config = settings_for(page_school_id(self))
        return self.render(config, SettingsForm(instance=config))

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = page_school_id(self)
        if not self.can_change(school_id):
            raise PermissionDenied
        config = settings_for(school_id)
        form = SettingsForm(request.POST, instance=config)
        if not form.is_valid():
            return self.render(config, form, status=422)
        form.save()
        messages.success(request, _("The maintenance settings were saved."))
        return HttpResponseRedirect(reverse("maintenance:settings"))

    def render(self, config: MaintenanceSettings, form: Any, status: int = 200) -> HttpResponse:
        title = _("Maintenance settings")
        days = dict(WEEKDAYS)
        shown = []
        for name, field in form.fields.items():
            value: Any = getattr(config, name)
            if name.endswith("_minutes"):
                hours, minutes = divmod(int(value), 60)
                value = _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
            elif name == "work_weekdays":
                value = "、".join(str(days[c]) for c in value)
            shown.append((field.label, display(value)))
        context = {
            "title": title,
            "school": config.school,
            "form": form,
            "fields": shown,
            "can_change": self.can_change(config.school_id),
            "links": self.links(),
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(self.request, "maintenance/settings.html", context, status=status)

    def links(self) -> list[tuple[str, str, str]]:
        user = self.request.user
        found = []
        for label, name, perm, icon in (
            (_("Repair categories"), "category_list", "view_repaircategory", "tags"),
            (_("Teams"), "team_list", "view_maintenanceteam", "people"),
            (_("Dispatch rules"), "rule_list", "view_dispatchrule", "signpost-split"),
            (_("Working calendar"), "calendar_list", "view_workcalendarday", "calendar3"),
        ):
            if school_ids(user, f"maintenance.{perm}"):
                found.append((label, reverse(f"maintenance:{name}"), icon))
        return found


# Repair categories (shared by every school) --------------------------------------------------


class CategoryMixin:
    model: Any = RepairCategory
    list_title = gettext_lazy("Repair categories")

    def get_queryset(self) -> QuerySet[Any]:
        return RepairCategory.objects.all()


class CategoryListView(CategoryMixin, ScopedViewMixin, View):
    permission_required = "maintenance.view_repaircategory"
    page_size = 100

    def get(self, request: HttpRequest) -> HttpResponse:
        categories = self.get_queryset().order_by("sort_order", "code")
        page = Paginator(categories, self.page_size).get_page(request.GET.get("page"))
        title = str(self.list_title)
        can_add = bool(school_ids(request.user, "maintenance.add_repaircategory"))
        can_change = bool(school_ids(request.user, "maintenance.change_repaircategory"))
        context = {
            "title": title,
            "page": page,
            "add_url": reverse("maintenance:category_add") if can_add else None,
            "can_change": can_change,
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(request, "maintenance/category_list.html", context)


class CategoryEditView(CategoryMixin, Named, ObjectEditView):
    prefix = "category"
    form_class = CategoryForm

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = self.fix_crumbs(super().render(form, obj))
        if obj is not None:  # the category's own page is the list
            response.context_data["breadcrumbs"] = [
                (self.get_title(), self.url("list")),
                (str(obj), None),
            ]
        return response  # type: ignore[no-any-return]


# Teams ---------------------------------------------------------------------------------------


class TeamMixin:
    model: Any = MaintenanceTeam
    prefix = "team"
    list_title = gettext_lazy("Maintenance teams")


class TeamListView(TeamMixin, NamedListView):
    table_class = TeamTable
    search_fields = ("name", "phone")
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        teams: QuerySet[Any] = MaintenanceTeam.objects.select_related("leader", "school")
        annotated: QuerySet[Any] = teams.annotate(member_count=Count("members", distinct=True))
        return annotated


class TeamDetailView(TeamMixin, Named, ObjectDetailView):
    show_attachments = False
    detail_fields: Any = (
        "name",
        "leader",
        (
            MaintenanceTeam._meta.get_field("members").verbose_name,
            lambda team: "、".join(str(u) for u in team.members.order_by("real_name")) or None,
        ),
        "phone",
        "is_active",
        "school",
    )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        found = []
        for action, label, style, verb in (
            ("edit", _("Edit"), "primary", "change"),
            ("delete", _("Delete"), "outline-danger", "delete"),
        ):
            perm = f"maintenance.{verb}_maintenanceteam"
            if has_perm_in_school(self.request.user, perm, obj.school_id):
                found.append({"label": label, "url": self.url(action, obj.pk), "style": style})
        return found

    def related(self, obj: Any) -> list[dict[str, Any]]:
        rules = list(rules_with_precedence(DispatchRule.objects.filter(team=obj)))
        table = RuleTable(rules)
        table.editable = has_perm_in_school(
            self.request.user, "maintenance.change_dispatchrule", obj.school_id
        )
        return [{"title": _("Dispatch rules"), "table": table, "total": len(rules)}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.fix_crumbs(super().get(request, *args, **kwargs))  # type: ignore[no-any-return]


class TeamEditView(TeamMixin, NamedEditView):
    form_class = TeamForm


class TeamDeleteView(TeamMixin, NamedDeleteView):
    pass


# Dispatch rules ------------------------------------------------------------------------------

SPECIFICITY = Case(
    When(category__isnull=False, building__isnull=False, then=Value(3)),
    When(category__isnull=False, then=Value(2)),
    When(building__isnull=False, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def rules_with_precedence(queryset: QuerySet[DispatchRule]) -> QuerySet[DispatchRule]:
    """Each rule with its precedence and the earlier active rule of the same category and
    building that takes its place (dispatch takes the most specific, then the oldest)."""
    earlier = (
        DispatchRule.objects.filter(
            school_id=OuterRef("school_id"), is_active=True, pk__lt=OuterRef("pk")
        )
        .annotate(cat=Coalesce("category_id", 0), bld=Coalesce("building_id", 0))
        .filter(
            cat=Coalesce(OuterRef("category_id"), 0),
            bld=Coalesce(OuterRef("building_id"), 0),
        )
        .order_by("pk")
        .values("pk")[:1]
    )
    return queryset.select_related(
        "category", "building", "assignee", "team__leader", "school"
    ).annotate(specificity=SPECIFICITY, shadowed_by=Subquery(earlier))


class RuleMixin:
    model: Any = DispatchRule
    prefix = "rule"
    list_title = gettext_lazy("Dispatch rules")
    unscoped_choice_fields: tuple[str, ...] = ("category",)


class RuleListView(RuleMixin, NamedListView):
    table_class = RuleTable
    default_sort = "specificity"
    template_name = "maintenance/rule_list.html"

    def base_queryset(self) -> QuerySet[Any]:
        return rules_with_precedence(DispatchRule.objects.all())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        if hasattr(response, "context_data"):
            response.context_data["table"].editable = self.may("change")
        return response

    def extra_context(self) -> dict[str, Any]:
        school_id = page_school_id(self)
        data = self.request.GET if "test" in self.request.GET else None
        form = RuleTestForm(data, school_id=school_id)
        result = None
        if form.is_bound and form.is_valid():
            category, building = form.cleaned_data["category"], form.cleaned_data["building"]
            worker_id, team_id = dispatch.choose(
                school_id=school_id,
                category_id=getattr(category, "pk", None),
                building_id=getattr(building, "pk", None),
            )
            result = {
                "category": category,
                "building": building,
                "worker": get_user_model().objects.filter(pk=worker_id).first()
                if worker_id
                else None,
                "team": MaintenanceTeam.objects.filter(pk=team_id).first() if team_id else None,
            }
        return {"test_form": form, "test_result": result}


class RuleEditView(RuleMixin, NamedEditView):
    form_class = RuleForm


class RuleDeleteView(RuleMixin, NamedDeleteView):
    pass


# The working calendar ------------------------------------------------------------------------


class CalendarMixin:
    model: Any = WorkCalendarDay
    prefix = "calendar"
    list_title = gettext_lazy("Working calendar")


class CalendarListView(CalendarMixin, NamedListView):
    table_class = CalendarTable
    search_fields = ("name",)
    default_sort = "-date"
    template_name = "maintenance/calendar_list.html"

    def base_queryset(self) -> QuerySet[Any]:
        return WorkCalendarDay.objects.select_related("school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        if hasattr(response, "context_data"):
            response.context_data["table"].editable = self.may("change")
        return response

    def extra_context(self) -> dict[str, Any]:
        config = settings_for(page_school_id(self))
        days = dict(WEEKDAYS)
        return {
            "config": config,
            "weekdays": "、".join(str(days[c]) for c in config.work_weekdays),
            "range_url": reverse("maintenance:calendar_range") if self.may("add") else None,
        }


class CalendarEditView(CalendarMixin, NamedEditView):
    form_class = CalendarDayForm


class CalendarDeleteView(CalendarMixin, NamedDeleteView):
    pass


class CalendarRangeView(CalendarMixin, Named, ScopedViewMixin, View):
    """Several days at once (a holiday week, the summer holiday)."""

    permission_required = "maintenance.add_workcalendarday"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(CalendarRangeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CalendarRangeForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=422)
        data = form.cleaned_data
        try:
            count = calendar_days_mark(
                actor=request.user,
                school_id=page_school_id(self),
                start=data["start"],
                end=data["end"],
                is_working=data["is_working"],
                name=data["name"],
                skip_weekends=data["skip_weekends"],
            )
        except ConfigError as exc:
            form.add_error(None, str(exc))
            return self.render(form, status=422)
        messages.success(request, _("%(n)s days were written to the calendar.") % {"n": count})
        return HttpResponseRedirect(self.url("list"))

    def render(self, form: Any, status: int = 200) -> HttpResponse:
        title = _("Several days at once")
        context = {
            "title": title,
            "form": form,
            "cancel_url": self.url("list"),
            "breadcrumbs": [
                (self.get_title(), self.url("list")),
                (title, None),
            ],
        }
        return TemplateResponse(
            self.request, "maintenance/calendar_range.html", context, status=status
        )
