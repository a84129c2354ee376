"""Print and copy jobs (文印) with their approval policy and paper accounting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet
from houqin.inventory.models import PaperSize


class Purpose(models.TextChoices):
    EXAM = "exam", _("Exam papers")
    LESSON = "lesson", _("Lesson materials")
    NOTICE = "notice", _("Notices")
    OTHER = "other", _("Other")


class PrintStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    QUEUED = "queued", _("In the print room queue")
    PRINTING = "printing", _("Printing")
    DONE = "done", _("Done")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalRule(models.TextChoices):
    NEVER = "never", _("Never")
    ABOVE_SHEETS = "above_sheets", _("Above a number of sheets")
    NON_EXAM = "non_exam", _("Any material other than exam papers")
    NON_EXAM_OR_ABOVE = "non_exam_or_above", _("Non-exam material, or above a number of sheets")
    ALWAYS = "always", _("Always")


class PrintSettings(SchoolOwnedModel):
    school = models.OneToOneField(  # type: ignore[assignment]
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    approval_rule = models.CharField(
        _("jobs need approval"),
        max_length=20,
        choices=ApprovalRule.choices,
        default=ApprovalRule.NON_EXAM_OR_ABOVE,
    )
    approval_sheets = models.PositiveIntegerField(
        _("approval from (sheets)"), default=500, validators=[MinValueValidator(1)]
    )
    colour_needs_approval = models.BooleanField(_("colour always needs approval"), default=True)
    sheet_cost = models.DecimalField(
        _("cost per sheet for reports (yuan)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("0.050"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("printing settings")
        verbose_name_plural = _("printing settings")

    def __str__(self) -> str:
        return str(_("Printing settings"))


class PrintJobQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> PrintJobQuerySet:
        """The print room and the office see every job; staff their own, department heads
        their department's, approvers what they decide."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from houqin.approvals.selectors import subjects_visible_q

        return self.filter(
            subjects_visible_q(
                user,
                perm,
                see_all="printing.view_all_printjob",
                request_type="print_job",
            )
        )


class PrintJob(SchoolOwnedModel):
    S = PrintStatus
    OPERATE = "printing.operate_printjob"
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {S.PENDING: None, S.QUEUED: None, S.CANCELLED: None},
        S.PENDING: {S.QUEUED: None, S.REJECTED: None, S.RETURNED: None, S.WITHDRAWN: None},
        S.RETURNED: {S.PENDING: None, S.QUEUED: None, S.WITHDRAWN: None, S.CANCELLED: None},
        S.WITHDRAWN: {S.PENDING: None, S.QUEUED: None, S.CANCELLED: None},
        S.QUEUED: {S.PRINTING: OPERATE, S.DONE: OPERATE, S.CANCELLED: None},
        S.PRINTING: {S.DONE: OPERATE, S.QUEUED: OPERATE},
        S.DONE: {S.COLLECTED: None},
        S.COLLECTED: {},
        S.REJECTED: {},
        S.CANCELLED: {},
    }
    EDITABLE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)
    FINISHED = (S.DONE, S.COLLECTED)

    number = models.CharField(_("number"), max_length=30, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
        editable=False,
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    pages = models.PositiveIntegerField(
        _("pages of the original"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    copies = models.PositiveIntegerField(
        _("copies"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    duplex = models.BooleanField(_("double-sided"), default=True)
    paper_size = models.CharField(
        _("paper size"), max_length=5, choices=PaperSize.choices, default=PaperSize.A4
    )
    colour = models.BooleanField(_("colour"), default=False)
    needed_by = models.DateTimeField(_("needed by"), null=True, blank=True)
    sheets_estimated = models.PositiveIntegerField(
        _("sheets (estimated)"), default=0, editable=False
    )
    sheets_used = models.PositiveIntegerField(
        _("sheets used"), null=True, blank=True, editable=False
    )
    spoiled_sheets = models.PositiveIntegerField(_("spoiled sheets"), default=0, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PrintStatus.choices,
        default=PrintStatus.DRAFT,
        editable=False,
    )
    needs_approval = models.BooleanField(_("needs approval"), default=False, editable=False)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed by"),
        editable=False,
    )
    paper_item = models.ForeignKey(
        "inventory.StockItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paper taken from"),
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)

    objects = PrintJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_printjob", _("See every print job of the school")),
            ("operate_printjob", _("Work the print room queue")),
            ("view_printing_reports", _("See paper use reports")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="printing_job_unique_number")
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["school", "requester", "-created_at"]),
            models.Index(fields=["school", "department", "done_at"]),
            models.Index(fields=["school", "done_at"]),
            # The job list's default order and its purpose and department filters.
            models.Index(fields=["school", "-created_at"], name="printing_job_recent"),
            models.Index(fields=["school", "purpose", "-created_at"], name="printing_job_purpose"),
            models.Index(
                fields=["school", "department", "-created_at"], name="printing_job_department"
            ),
            # The paper report and the savings report read every figure from this index
            # alone, without the jobs' rows.
            models.Index(
                fields=[
                    "school",
                    "done_at",
                    "status",
                    "sheets_used",
                    "sheets_estimated",
                    "spoiled_sheets",
                    "colour",
                    "purpose",
                    "department",
                    "requester",
                ],
                name="printing_job_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("printing:job_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def sheets_per_copy(self) -> int:
        return (self.pages + 1) // 2 if self.duplex else self.pages

    def estimate_sheets(self) -> int:
        return self.sheets_per_copy * self.copies

    def clean(self) -> None:
        if self.school_id and self.department_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("Choose a department of this school.")})


class PaperMonth(models.Model):
    """Paper of the finished jobs of a month (纸张月度汇总), kept by the database itself.

    Every print job that is done or collected adds one job, its sheets (those used, else the
    estimate, plus the spoiled ones), its spoiled sheets and, when in colour, its sheets as
    colour sheets to its school's rows of its local month: per department and per purpose.
    Triggers on the jobs' table (``printing.paper_sql``) keep these rows equal to the jobs in
    the writing transaction, whatever writes them; reports read whole months here and only
    the days at a period's edges from the jobs."""

    school = models.ForeignKey(
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the local month."))
    jobs = models.IntegerField(_("jobs"), default=0)
    sheets = models.BigIntegerField(_("sheets"), default=0)
    spoiled = models.BigIntegerField(_("spoiled sheets"), default=0)
    colour_sheets = models.BigIntegerField(_("colour sheets"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:%Y-%m}"


class DepartmentPaper(PaperMonth):
    department_key = models.BigIntegerField(_("department"))

    class Meta:
        verbose_name = _("monthly paper of a department")
        verbose_name_plural = _("monthly paper of departments")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "department_key"], name="printing_paper_department"
            )
        ]


class PurposePaper(PaperMonth):
    purpose = models.CharField(_("purpose"), max_length=20)

    class Meta:
        verbose_name = _("monthly paper of a purpose")
        verbose_name_plural = _("monthly paper of purposes")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "purpose"], name="printing_paper_purpose"
            )
        ]
