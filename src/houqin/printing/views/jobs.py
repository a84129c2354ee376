"""Print job pages: my jobs, all jobs, the request form (with its live estimate), the job's
page and its workflow buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)
from houqin.core.workflow import TransitionError
from houqin.inventory.services.stock import StockError
from houqin.org.models import Department

from ..filters import MyJobFilter, PrintJobFilter
from ..forms import DoneForm, PrintJobForm
from ..models import PrintJob, PrintStatus, Purpose
from ..services import jobs as services
from ..services.policy import (
    approval_decision,
    estimated_cost,
    settings_for,
    sheets_for,
)
from ..tables import MyJobTable, PrintJobTable

S = PrintStatus
VIEW = "printing.view_printjob"
ADD = "printing.add_printjob"


def _with_people(queryset: QuerySet[PrintJob]) -> QuerySet[PrintJob]:
    return queryset.select_related("department", "requester")


class JobListView(ObjectListView):
    """All the jobs the user may see: the print room and the office every job of the school,
    a department head the department's, an approver those they decide."""

    model = PrintJob
    permission_required = VIEW
    table_class = PrintJobTable
    filterset_class = PrintJobFilter
    search_fields = ("number", "title")
    default_sort = "-created_at"
    title = ""

    def base_queryset(self) -> QuerySet[Any]:
        return _with_people(PrintJob.objects.all())

    def get_title(self) -> str:
        return _("Print jobs")

    def add_url(self) -> str | None:
        return reverse("printing:job_add") if school_ids(self.request.user, ADD) else None

    def import_url(self) -> str | None:
        return None


class JobMineView(JobListView):
    """我的文印: the user's own jobs."""

    table_class = MyJobTable  # type: ignore[assignment]
    filterset_class = MyJobFilter

    def base_queryset(self) -> QuerySet[Any]:
        return _with_people(PrintJob.objects.filter(requester_id=self.request.user.pk))

    def get_title(self) -> str:
        return _("My print jobs")


def user_department_id(user: Any, allowed: list[int]) -> int | None:
    """The department of the user's first membership in one of ``allowed`` schools."""
    from houqin.accounts.models import Membership

    membership = (
        Membership.objects.filter(
            user=user, is_active=True, department__isnull=False, school_id__in=allowed
        )
        .order_by("pk")
        .first()
    )
    return membership.department_id if membership is not None else None


class JobEditView(ObjectEditView):
    """The request form, phone-first, with the file to print; the requester edits a job
    while it is a draft or was returned or withdrawn."""

    model = PrintJob
    form_class = PrintJobForm
    permission_required = ADD
    template_name = "printing/job_form.html"

    def get_permission_required(self) -> str:
        return ADD

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and (obj.requester_id != self.request.user.pk or not obj.is_editable):
            raise PermissionDenied
        return obj

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        department = user_department_id(self.request.user, self.allowed_school_ids())
        if department is not None:
            initial.setdefault("department", department)
        initial.setdefault("purpose", Purpose.EXAM)
        initial.setdefault("copies", 1)
        return initial

    def files_of(self, obj: Any) -> list[Any]:
        if obj is None:
            return []
        from django.contrib.contenttypes.models import ContentType

        from houqin.core.attachments.selectors import attachment_list

        return attachment_list(ContentType.objects.get_for_model(PrintJob), obj.pk)

    def get_form(self, obj: Any, data: Any = None) -> Any:
        kwargs: dict[str, Any] = {
            "instance": obj,
            "data": data,
            "files": self.request.FILES if data is not None else None,
            "has_files": bool(self.files_of(obj)),
        }
        if obj is None:
            kwargs["initial"] = self.get_initial()
        form = PrintJobForm(**kwargs)
        self.narrow_form_choices(form)
        return form

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        crumbs: list[tuple[Any, str | None]] = [(_("My print jobs"), reverse("printing:job_mine"))]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
        crumbs.append((_("New print job") if obj is None else _("Edit"), None))
        response.context_data.update(  # type: ignore[attr-defined]
            {
                "breadcrumbs": crumbs,
                "title": _("New print job") if obj is None else str(obj),
                "cancel_url": obj.get_absolute_url() if obj else reverse("printing:job_mine"),
                "files": self.files_of(obj),
                "estimate_url": reverse("printing:job_estimate"),
                "estimate": estimate_context(self.request.user, form_values(form)),
            }
        )
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        upload = form.cleaned_data.get("file")
        try:
            with transaction.atomic():
                saved = services.print_job_save(
                    actor=request.user, job=form.instance, files=[upload] if upload else []
                )
                self.check_saved_scope(saved)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.render(form, obj)
        except services.PrintingError as exc:
            form.add_error(None, str(exc))
            return self.render(form, obj)
        if request.POST.get("then") == "submit":
            return submit_and_report(request, saved)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(saved.get_absolute_url())


def submit_and_report(request: HttpRequest, job: PrintJob) -> HttpResponse:
    """Submit right after saving ("save and submit"); a refusal leaves the saved draft."""
    try:
        services.print_job_submit(actor=request.user, job=job)
    except (ApprovalError, TransitionError, services.PrintingError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, submitted_message(job))
    return HttpResponseRedirect(job.get_absolute_url())


def submitted_message(job: PrintJob) -> str:
    if job.status == S.PENDING:
        return _("Submitted for approval.")
    return _("Sent to the print room queue.")


def form_values(form: Any) -> dict[str, Any]:
    """The values the estimate needs, from a bound form's data or the initial values."""
    if form.is_bound:
        data = form.data
        return {
            "pages": data.get("pages"),
            "copies": data.get("copies"),
            "duplex": data.get("duplex") in ("on", "true", "1", "True"),
            "colour": data.get("colour") in ("on", "true", "1", "True"),
            "purpose": data.get("purpose"),
            "department": data.get("department"),
        }
    instance = form.instance
    initial = form.initial
    if instance.pk:
        return {
            "pages": instance.pages,
            "copies": instance.copies,
            "duplex": instance.duplex,
            "colour": instance.colour,
            "purpose": instance.purpose,
            "department": instance.department_id,
        }
    return {
        "pages": initial.get("pages"),
        "copies": initial.get("copies"),
        "duplex": True,
        "colour": False,
        "purpose": initial.get("purpose"),
        "department": initial.get("department"),
    }


def _positive(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 10_000_000 else None


def estimate_context(user: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Sheets, cost and the approval decision for the values entered so far."""
    allowed = school_ids(user, ADD)
    pages, copies = _positive(values.get("pages")), _positive(values.get("copies"))
    if not allowed or pages is None or copies is None:
        return {"ready": False}
    school_id = allowed[0]
    department_id = _positive(values.get("department"))
    if department_id is not None:
        found = (
            Department.objects.filter(pk=department_id, school_id__in=allowed)
            .values_list("school_id", flat=True)
            .first()
        )
        school_id = found or school_id
    config = settings_for(school_id)
    probe = PrintJob(
        pages=pages,
        copies=copies,
        duplex=bool(values.get("duplex")),
        colour=bool(values.get("colour")),
        purpose=values.get("purpose") or Purpose.OTHER,
    )
    sheets = sheets_for(pages=pages, copies=copies, duplex=probe.duplex)
    decision = approval_decision(probe, config)
    return {
        "ready": True,
        "sheets": sheets,
        "per_copy": probe.sheets_per_copy,
        "cost": estimated_cost(sheets, config),
        "decision": decision,
    }


class JobEstimateView(ScopedViewMixin, View):
    """The live estimate under the request form (htmx): sheets, cost, approval or not."""

    model = PrintJob
    permission_required = ADD

    def get(self, request: HttpRequest) -> HttpResponse:
        values: dict[str, Any] = {
            key: request.GET.get(key)
            for key in ("pages", "copies", "purpose", "department", "duplex", "colour")
        }
        values["duplex"] = request.GET.get("duplex") in ("on", "true", "1")
        values["colour"] = request.GET.get("colour") in ("on", "true", "1")
        return TemplateResponse(
            request,
            "printing/_estimate.html",
            {"estimate": estimate_context(request.user, values)},
        )


class JobDetailView(RequestSubjectMixin, ObjectDetailView):
    model = PrintJob
    permission_required = VIEW
    edit_url_name = "printing:job_edit"
    template_name = "printing/job_detail.html"
    detail_fields = (
        "number",
        "status",
        "purpose",
        "department",
        "requester",
        "pages",
        "copies",
        "duplex",
        "paper_size",
        "colour",
        "sheets_estimated",
        "needed_by",
        "description",
        "submitted_at",
        "operator",
        "sheets_used",
        "spoiled_sheets",
        "paper_item",
        "done_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return PrintJob.objects.select_related(
            "department", "requester", "school", "operator", "paper_item"
        )

    def fields(self, obj: Any) -> list[tuple[str, str]]:
        """The print room's fields only once the job reached it."""
        shown = super().fields(obj)
        if obj.status in PrintJob.FINISHED:
            return shown
        names = ["sheets_used", "spoiled_sheets", "paper_item", "done_at"]
        if obj.operator_id is None:
            names.append("operator")
        hidden = {str(getattr(PrintJob._meta.get_field(n), "verbose_name", n)) for n in names}
        return [(label, value) for label, value in shown if label not in hidden]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        job: PrintJob = context["object"]
        context.update(self.approval_context(job))
        context.update(job_buttons(request.user, job))
        config = settings_for(job.school_id)
        context["decision"] = approval_decision(job, config)
        context["cost"] = estimated_cost(job.sheets_used or job.sheets_estimated, config)
        context["title"] = job.title
        context["breadcrumbs"] = [
            (_("My print jobs"), reverse("printing:job_mine"))
            if job.requester_id == request.user.pk
            else (_("Print jobs"), reverse("printing:job_list")),
            (job.number, None),
        ]
        return response


def job_buttons(user: Any, job: PrintJob) -> dict[str, Any]:
    """Which workflow buttons the user sees on a job."""
    own = job.requester_id == user.pk
    operates = has_perm_in_school(user, PrintJob.OPERATE, job.school_id)
    working = job.status in (S.QUEUED, S.PRINTING)
    return {
        "can_start": operates and job.status == S.QUEUED,
        "can_requeue": operates and job.status == S.PRINTING,
        "can_done": operates and working,
        "done_form": DoneForm(
            initial={"sheets_used": job.sheets_estimated, "spoiled_sheets": 0},
            auto_id=f"id_done{job.pk}_%s",
        )
        if operates and working
        else None,
        "can_collect": job.status == S.DONE and (own or operates),
        "can_cancel": (own and job.status in (*PrintJob.EDITABLE, S.QUEUED))
        or (operates and job.status == S.QUEUED),
        "cancel_needs_reason": not own,
    }


class JobActionView(ObjectActionView):
    """POST submit, start, requeue, done (sheets), collect, cancel."""

    model = PrintJob
    permission_required = VIEW
    refusals = (ApprovalError, TransitionError, services.PrintingError, StockError)

    def post(self, request: HttpRequest, pk: int, action: str = "") -> HttpResponse:
        response = super().post(request, pk, action)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return response

    def do_submit(self, request: HttpRequest, job: PrintJob) -> str:
        services.print_job_submit(actor=request.user, job=job)
        return submitted_message(job)

    def do_start(self, request: HttpRequest, job: PrintJob) -> str:
        services.print_job_start(actor=request.user, job=job)
        return _("%(number)s is printing.") % {"number": job.number}

    def do_requeue(self, request: HttpRequest, job: PrintJob) -> str:
        services.print_job_requeue(
            actor=request.user, job=job, reason=request.POST.get("reason", "")
        )
        return _("%(number)s is back in the queue.") % {"number": job.number}

    def do_done(self, request: HttpRequest, job: PrintJob) -> str:
        form = DoneForm(request.POST)
        if not form.is_valid():
            raise services.PrintingError(
                " ".join(
                    f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
                    for k, v in form.errors.items()
                )
            )
        services.print_job_done(
            actor=request.user,
            job=job,
            sheets_used=form.cleaned_data["sheets_used"],
            spoiled_sheets=form.cleaned_data["spoiled_sheets"],
        )
        if job.paper_item_id is None:
            messages.warning(
                request,
                _("No %(size)s paper is kept in the store: no paper was deducted.")
                % {"size": job.get_paper_size_display()},
            )
            return _("%(number)s is done.") % {"number": job.number}
        return _("%(number)s is done; %(sheets)s sheets were taken from the paper stock.") % {
            "number": job.number,
            "sheets": (job.sheets_used or 0) + job.spoiled_sheets,
        }

    def do_collect(self, request: HttpRequest, job: PrintJob) -> str:
        services.print_job_collect(actor=request.user, job=job)
        return _("Marked as collected.")

    def do_cancel(self, request: HttpRequest, job: PrintJob) -> str:
        services.print_job_cancel(
            actor=request.user, job=job, reason=request.POST.get("reason", "")
        )
        return _("The print job was cancelled.")
