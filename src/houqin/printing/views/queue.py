"""The print room queue (文印室): queued and printing jobs by needed-by time, big buttons."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.scoping import school_ids
from houqin.core.views import ScopedViewMixin
from houqin.inventory.models import StockItem

from ..forms import DoneForm
from ..models import PrintJob, PrintStatus

S = PrintStatus
OPERATE = PrintJob.OPERATE


def queued_count(user: Any) -> int:
    """The menu badge: jobs waiting in the queues the user works (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return PrintJob.objects.filter(school_id__in=school_ids(user, OPERATE), status=S.QUEUED).count()


class QueueView(ScopedViewMixin, View):
    model = PrintJob
    permission_required = OPERATE
    page_size = 30

    def jobs(self) -> QuerySet[PrintJob]:
        found: QuerySet[PrintJob] = self.narrow_to_active_school(self.get_queryset())
        return (
            found.filter(status__in=(S.QUEUED, S.PRINTING))
            .select_related("department", "requester", "operator")
            .order_by(F("needed_by").asc(nulls_last=True), "submitted_at", "pk")
        )

    def paper(self) -> list[StockItem]:
        schools = school_ids(self.request.user, OPERATE)
        items = StockItem.objects.filter(
            school_id__in=schools, is_active=True, sheets_per_unit__isnull=False
        ).exclude(paper_size="")
        return list(self.narrow_to_active_school(items).order_by("paper_size", "name")[:12])

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = self.jobs()
        page = Paginator(jobs, self.page_size).get_page(request.GET.get("page"))
        counts = jobs.aggregate(
            queued=Count("pk", filter=Q(status=S.QUEUED)),
            printing=Count("pk", filter=Q(status=S.PRINTING)),
        )
        now = timezone.now()
        here = reverse("printing:queue")
        cards = [
            {
                "job": job,
                "late": job.needed_by is not None and job.needed_by < now,
                "form": DoneForm(
                    initial={"sheets_used": job.sheets_estimated, "spoiled_sheets": 0},
                    auto_id=f"id_done{job.pk}_%s",
                ),
            }
            for job in page.object_list
        ]
        title = _("Print room queue")
        context = {
            "title": title,
            "breadcrumbs": [(title, None)],
            "page": page,
            "cards": cards,
            "counts": counts,
            "paper": self.paper(),
            "next": here if page.number == 1 else f"{here}?page={page.number}",
            "base_params": "",
        }
        return TemplateResponse(request, "printing/queue.html", context)
