"""The pages the benchmark measures: every main page of every module, for one school's users.

    from bench.pages import catalogue, district_catalogue
    for page in catalogue(school_id):   # inside a Django process (no HTTP here)
        client.force_login(User.objects.get(username=page.username)); client.get(page.path)

Each list comes four times (first page; filtered by a common filter; sorted by a sortable
column; a later page — ``?page=10`` falls back to the last page on a short list), each main
object's detail page shows an object looked up in the database (the school's most recent or a
mid-history one), then dashboards and reports, exports (the whole body is measured) and the main
API endpoints (session authentication, as the browser uses them). The page is requested by the
persona holding its permission (``s01-director``, ``s01-storekeeper``…); the floor is the
smallest signed-in page. A detail page whose object does not exist in the database is left out
(``catalogue(…, strict=True)`` raises instead), so a partial database still gives a catalogue.

Left out on purpose (with the reason):
- the login and logout pages, ``set_language``, ``core:switch_school``: no page of data (the
  login page is what ``bench.server`` polls; the floor page stands for the stack).
- every add/edit/delete/import form and its template download, and every workflow action URL
  (``…/<action>/``, ``…/finish/``, ``…/issue/``, ``…/place/``, ``…/return/``, counting and
  scanning pages of stocktakes and stock counts, quotation forms, attachment upload and comment
  URLs): POST endpoints or forms around one object, not lists or reports; the load phase of
  ``bench.run`` posts the one form that arrives at volume (the staff repair request). The
  repair-request and work-order forms are measured as ``form`` pages because their choices
  grow with the school (rooms, assets).
- attachment downloads and thumbnails: they stream a stored file (the generator writes
  metadata only, no files).
- ``maintenance:portal_room``/``portal_asset``/``track`` and ``assets:scan``: anonymous QR
  pages reached by a code; the portal is covered by the surge benchmark.
- ``maintenance:room_posters``, ``assets:label_selection``/``asset_label``,
  ``procurement:quote_compare``, ``assets:stocktake_report_pdf``: printable PDFs of
  a selection (rendered by the PDF engine, seconds by design, not browsing pages).
- ``notifications:jobrun_list``: only the administrator role may read it, and no generated
  user holds that role.
- ``org:district_list``/``district_detail``, ``org:school_list``: district pages, in
  ``district_catalogue``.
- ``api:schema``/``api:docs``/``api:auth_token``/``api:token-*``: documentation and token
  management, no business data; API action endpoints (``…/approve/`` etc.) are POSTs.
- ``notifications:notification_open``/``mark_read``: a redirect and a POST.
- ``procurement:supplier_check_code``, ``printing:job_estimate``,
  ``inventory:requisition_issue`` fragments: small helpers of forms.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

KINDS = ("list", "detail", "report", "export", "api", "form", "floor")
LATER_PAGE = 10


@dataclass(frozen=True)
class Page:
    name: str  # unique in a catalogue, e.g. "maintenance:workorder_list sorted"
    module: str
    kind: str  # one of KINDS
    path: str
    username: str


@dataclass(frozen=True)
class ListSpec:
    """A list page: ``filter`` is a query string with ``{placeholders}`` (see ``_Finder``)."""

    url: str
    role: str
    filter: str = ""
    sort: str = ""
    paged: bool = True  # the view pages its rows (a later page is worth measuring)


@dataclass(frozen=True)
class DetailSpec:
    """A detail page of the object of ``model`` picked by ``order`` (first row) or the middle."""

    url: str
    role: str
    model: str  # "app_label.Model"
    order: str = "-pk"
    middle: bool = False
    where: tuple[tuple[str, Any], ...] = ()
    suffix: str = ""  # name suffix when one URL is measured on two objects
    kind: str = "detail"
    optional: bool = False  # objects the generator does not make: left out even when strict


@dataclass(frozen=True)
class PathSpec:
    """A page without an object: ``url`` names it, ``query`` may hold placeholders."""

    url: str
    role: str
    kind: str
    query: str = ""
    suffix: str = ""
    module: str = ""


Spec = ListSpec | PathSpec | DetailSpec

# -- the school's pages ------------------------------------------------------------------------

LISTS: tuple[ListSpec, ...] = (
    ListSpec("accounts:user_list", "director", "department={department}", "-last_login"),
    ListSpec("accounts:role_list", "director", "", "-member_count", paged=False),
    ListSpec("org:campus_list", "director", "school={school}", "name", paged=False),
    ListSpec("org:building_list", "director", "use=teaching", "-year_built"),
    ListSpec("org:room_list", "director", "building={building}", "floor"),
    ListSpec("org:department_list", "director", "", "-member_count", paged=False),
    ListSpec("org:schoolyear_list", "director", "", "start", paged=False),
    ListSpec("org:term_list", "director", "", "start", paged=False),
    ListSpec("core:auditentry_list", "principal", "action=create", "actor"),
    ListSpec("approvals:approvalchain_list", "director", "", "request_type", paged=False),
    ListSpec("finance:expense_list", "accountant", "status=pending", "-amount"),
    ListSpec("finance:budget_list", "accountant", "department={department}", "-spent"),
    ListSpec("finance:adjustment_list", "accountant", "status=approved", "-delta"),
    ListSpec("assets:asset_list", "assetkeeper", "building={building}", "-value"),
    ListSpec("assets:depreciation_list", "assetkeeper", "", "-amount"),
    ListSpec("assets:transfer_list", "assetkeeper", "status=approved", "-total_value"),
    ListSpec("assets:loan_list", "assetkeeper", "state=open", "due_date"),
    ListSpec("assets:damage_list", "assetkeeper", "status=paid", "-amount"),
    ListSpec("assets:priceitem_list", "assetkeeper", "is_active=1", "price"),
    ListSpec("assets:disposal_list", "assetkeeper", "status=approved", "-total_value"),
    ListSpec("assets:stocktake_list", "assetkeeper", "", "-created_at"),
    ListSpec("maintenance:request_list", "director", "building={building}", "category"),
    ListSpec("maintenance:workorder_list", "director", "status=open", "due"),
    ListSpec("maintenance:plan_list", "director", "is_active=1", "next_due"),
    ListSpec("maintenance:campaign_list", "director", "status=closed", "start_date"),
    ListSpec("maintenance:team_list", "director", "", "-member_count", paged=False),
    ListSpec("maintenance:rule_list", "director", "", "category", paged=False),
    ListSpec("maintenance:calendar_list", "director", "", "date"),
    ListSpec("inventory:requisition_list", "storekeeper", "status=issued", "-amount"),
    ListSpec("inventory:requisition_mine", "teacher", "status=issued", "-amount"),
    ListSpec("inventory:issue_queue", "storekeeper", "", "needed_by"),
    ListSpec("inventory:quota_list", "director", "term={term}", "-used"),
    ListSpec("inventory:item_list", "storekeeper", "category=office", "-value"),
    ListSpec("inventory:movement_list", "storekeeper", "kind=issue", "-amount"),
    ListSpec("inventory:count_list", "storekeeper", "status=posted", "-posted_at"),
    ListSpec("procurement:request_list", "purchaser", "status=received", "-estimated_total"),
    ListSpec("procurement:request_mine", "teacher", "status=received", "-estimated_total"),
    ListSpec("procurement:intake_list", "assetkeeper", "status=waiting", "received_on"),
    ListSpec("procurement:order_list", "purchaser", "status=received", "-total"),
    ListSpec("procurement:acceptance_list", "purchaser", "status=confirmed", "-amount"),
    ListSpec("procurement:supplier_list", "purchaser", "is_active=1", "-order_amount"),
    ListSpec("printing:job_list", "storekeeper", "purpose=exam", "-sheets_used"),
    ListSpec("printing:job_mine", "teacher", "status=collected", "-sheets_estimated"),
    ListSpec("notifications:webhookendpoint_list", "director", "", "kind", paged=False),
    ListSpec("notifications:delivery_list", "director", "status=failed", "-attempts"),
)

# Lists written without the generic list view (their own paging, no filter or sort).
PLAIN_LISTS: tuple[PathSpec, ...] = (
    PathSpec("approvals:inbox", "principal", "list"),
    PathSpec("approvals:mine", "accountant", "list"),
    PathSpec("assets:category_list", "assetkeeper", "list"),
    PathSpec("maintenance:request_mine", "teacher", "list"),
    PathSpec("maintenance:my_orders", "worker", "list"),
    PathSpec("maintenance:category_list", "director", "list"),
    PathSpec("inventory:reorder_list", "storekeeper", "list"),
    PathSpec("procurement:intention_list", "purchaser", "list"),
    PathSpec("printing:queue", "storekeeper", "list"),
    PathSpec("notifications:centre", "director", "list"),
)

DETAILS: tuple[DetailSpec, ...] = (
    DetailSpec("accounts:user_detail", "director", "accounts.User", "pk", middle=True),
    DetailSpec("accounts:role_detail", "director", "accounts.Role", where=(("code", "teacher"),)),
    DetailSpec("org:school_detail", "director", "org.School"),
    DetailSpec("org:campus_detail", "director", "org.Campus", "pk"),
    DetailSpec("org:building_detail", "director", "org.Building", "pk"),
    DetailSpec("org:room_detail", "director", "org.Room", "pk", middle=True),
    DetailSpec("org:department_detail", "director", "org.Department", "sort_order"),
    DetailSpec("org:schoolyear_detail", "director", "org.SchoolYear", "-start"),
    DetailSpec("org:term_detail", "director", "org.Term", "-start"),
    DetailSpec("approvals:approvalchain_detail", "director", "approvals.ApprovalChain", "pk"),
    DetailSpec("approvals:request_detail", "principal", "approvals.ApprovalRequest"),
    DetailSpec("finance:expense_detail", "accountant", "finance.Expense"),
    DetailSpec("finance:budget_detail", "accountant", "finance.BudgetLine"),
    DetailSpec("finance:adjustment_detail", "accountant", "finance.BudgetAdjustment"),
    DetailSpec("assets:asset_detail", "assetkeeper", "assets.Asset", "pk", middle=True),
    DetailSpec("assets:category_detail", "assetkeeper", "assets.AssetCategory", "pk"),
    DetailSpec("assets:depreciationrun_detail", "assetkeeper", "assets.DepreciationRun"),
    DetailSpec("assets:transfer_detail", "assetkeeper", "assets.AssetTransfer"),
    DetailSpec("assets:loan_detail", "assetkeeper", "assets.AssetLoan"),
    DetailSpec("assets:damage_detail", "assetkeeper", "assets.DamageReport"),
    DetailSpec("assets:priceitem_detail", "assetkeeper", "assets.CompensationPriceItem", "pk"),
    DetailSpec("assets:disposal_detail", "assetkeeper", "assets.AssetDisposal"),
    DetailSpec("assets:stocktake_detail", "assetkeeper", "assets.Stocktake"),
    DetailSpec("maintenance:request_detail", "director", "maintenance.RepairRequest"),
    DetailSpec("maintenance:workorder_detail", "director", "maintenance.WorkOrder", "-reported_at"),
    DetailSpec(
        "maintenance:workorder_detail",
        "director",
        "maintenance.WorkOrder",
        "pk",
        middle=True,
        suffix="mid-history",
    ),
    DetailSpec("maintenance:plan_detail", "director", "maintenance.MaintenancePlan", "pk"),
    DetailSpec("maintenance:campaign_detail", "director", "maintenance.Campaign"),
    DetailSpec("maintenance:team_detail", "director", "maintenance.MaintenanceTeam", "pk"),
    DetailSpec("inventory:requisition_detail", "storekeeper", "inventory.Requisition"),
    DetailSpec("inventory:item_detail", "storekeeper", "inventory.StockItem", "pk", middle=True),
    DetailSpec("inventory:count_detail", "storekeeper", "inventory.StockCount"),
    DetailSpec("procurement:request_detail", "purchaser", "procurement.PurchaseRequest"),
    DetailSpec("procurement:intake_detail", "assetkeeper", "procurement.AssetIntake"),
    DetailSpec("procurement:order_detail", "purchaser", "procurement.PurchaseOrder"),
    DetailSpec("procurement:acceptance_detail", "purchaser", "procurement.Acceptance"),
    DetailSpec("procurement:supplier_detail", "purchaser", "procurement.Supplier", "pk"),
    DetailSpec("printing:job_detail", "storekeeper", "printing.PrintJob"),
    DetailSpec(
        "notifications:webhookendpoint_detail",
        "director",
        "notifications.WebhookEndpoint",
        optional=True,
    ),
    DetailSpec(
        "notifications:delivery_detail", "director", "notifications.Delivery", optional=True
    ),
    # Printable documents of one object, measured to the last byte.
    DetailSpec("procurement:order_pdf", "purchaser", "procurement.PurchaseOrder", kind="export"),
    DetailSpec("assets:stocktake_report_xlsx", "assetkeeper", "assets.Stocktake", kind="export"),
)

REPORTS: tuple[PathSpec, ...] = (
    PathSpec("dashboards:home", "director", "report"),
    PathSpec("dashboards:home", "teacher", "report", suffix="teacher"),
    PathSpec("dashboards:savings", "director", "report"),
    PathSpec("maintenance:dashboard", "director", "report"),
    PathSpec("inventory:consumption_report", "storekeeper", "report"),
    PathSpec("printing:paper_report", "storekeeper", "report"),
    PathSpec("finance:budget_report", "accountant", "report"),
    PathSpec("assets:damage_stats", "assetkeeper", "report"),
    PathSpec("assets:disposal_report", "assetkeeper", "report"),
    PathSpec("assets:depreciation_report", "assetkeeper", "report"),
    PathSpec("assets:settings", "assetkeeper", "report"),
    PathSpec("maintenance:settings", "director", "report"),
    PathSpec("finance:finance_settings", "accountant", "report"),
    PathSpec("procurement:procurement_settings", "purchaser", "report"),
    PathSpec("printing:printing_settings", "storekeeper", "report"),
    PathSpec("notifications:preferences", "director", "report"),
    # Forms whose choices grow with the school.
    PathSpec("maintenance:request_add", "teacher", "form"),
    PathSpec("maintenance:workorder_add", "director", "form"),
    PathSpec("inventory:requisition_add", "teacher", "form"),
)

EXPORTS: tuple[PathSpec, ...] = (
    PathSpec("maintenance:workorder_export", "director", "export", "status=done"),
    PathSpec("maintenance:report_export", "director", "export"),
    PathSpec("printing:paper_export", "storekeeper", "export"),
    PathSpec("assets:asset_list", "assetkeeper", "export", "building={building}&export=xlsx"),
    PathSpec("inventory:movement_list", "storekeeper", "export", "kind=issue&export=xlsx"),
    PathSpec("inventory:consumption_report", "storekeeper", "export", "export=xlsx"),
    PathSpec("finance:budget_report", "accountant", "export", "export=xlsx"),
    PathSpec("dashboards:savings", "director", "export", "export=xlsx"),
    PathSpec("assets:damage_stats", "assetkeeper", "export", "export=xlsx"),
    PathSpec("assets:depreciation_report", "assetkeeper", "export", "export=xlsx"),
)

APIS: tuple[PathSpec, ...] = (
    PathSpec("api:me", "teacher", "api", module="accounts"),
    PathSpec("api:user-list", "director", "api", module="accounts"),
    PathSpec("api:location-list", "director", "api", module="org"),
    PathSpec("api:approval-inbox", "principal", "api", module="approvals"),
    PathSpec("api:notification-list", "director", "api", module="notifications"),
    PathSpec("api:workorder-list", "director", "api", module="maintenance"),
    PathSpec(
        "api:workorder-list", "director", "api", "building={building}", "filtered", "maintenance"
    ),
    PathSpec("api:repairrequest-list", "director", "api", module="maintenance"),
    PathSpec("api:asset-list", "assetkeeper", "api", module="assets"),
    PathSpec("api:asset-list", "assetkeeper", "api", "building={building}", "filtered", "assets"),
    PathSpec("api:budgetline-list", "accountant", "api", module="finance"),
    PathSpec("api:stockitem-list", "storekeeper", "api", module="inventory"),
    PathSpec("api:stockmovement-list", "storekeeper", "api", module="inventory"),
    PathSpec("api:requisition-list", "storekeeper", "api", module="inventory"),
    PathSpec("api:supplier-list", "purchaser", "api", module="procurement"),
    PathSpec("api:purchaserequest-list", "purchaser", "api", module="procurement"),
    PathSpec("api:purchaseorder-list", "purchaser", "api", module="procurement"),
    PathSpec("api:printjob-list", "storekeeper", "api", module="printing"),
)

API_DETAILS: tuple[DetailSpec, ...] = (
    DetailSpec("api:workorder-detail", "director", "maintenance.WorkOrder", kind="api"),
    DetailSpec("api:repairrequest-detail", "director", "maintenance.RepairRequest", kind="api"),
    DetailSpec("api:asset-detail", "assetkeeper", "assets.Asset", "pk", True, kind="api"),
    DetailSpec("api:stockitem-detail", "storekeeper", "inventory.StockItem", kind="api"),
    DetailSpec("api:purchaseorder-detail", "purchaser", "procurement.PurchaseOrder", kind="api"),
    DetailSpec("api:printjob-detail", "storekeeper", "printing.PrintJob", kind="api"),
)

FLOOR = PathSpec("accounts:password_change", "director", "floor")

# -- the bureau's pages ------------------------------------------------------------------------

DISTRICT_LISTS: tuple[ListSpec, ...] = (
    ListSpec("org:school_list", "district", "kind=junior", "-students"),
    ListSpec("finance:expense_list", "district", "status=approved", "-amount"),
    ListSpec("assets:asset_list", "district", "status=in_use", "-value"),
    ListSpec("maintenance:workorder_list", "district", "status=open", "due"),
)
DISTRICT_DETAILS: tuple[DetailSpec, ...] = (
    DetailSpec("org:district_detail", "district", "org.District"),
    DetailSpec("org:school_detail", "district", "org.School"),
)
DISTRICT_REPORTS: tuple[PathSpec, ...] = (
    PathSpec("dashboards:home", "district", "report"),
    PathSpec("dashboards:savings", "district", "report"),
    PathSpec("maintenance:dashboard", "district", "report"),
    PathSpec("inventory:consumption_report", "district", "report"),
    PathSpec("printing:paper_report", "district", "report"),
    PathSpec("finance:budget_report", "district", "report"),
    PathSpec("assets:damage_stats", "district", "report"),
    PathSpec("assets:disposal_report", "district", "report"),
    PathSpec("org:district_list", "district", "list"),
    PathSpec("api:workorder-list", "district", "api", module="maintenance"),
)
DISTRICT_FLOOR = PathSpec("accounts:password_change", "district", "floor")


class MissingObject(LookupError):
    """The database holds no object for a detail page (or no value for a filter)."""


def catalogue(school_id: int, *, strict: bool = False, gaps: list[str] | None = None) -> list[Page]:
    """Every main page for the users of school ``school_id`` (the floor page first). Pages
    whose object is missing are left out (and described in ``gaps``), or raise when strict."""
    specs: tuple[Spec, ...] = (
        FLOOR,
        *LISTS,
        *PLAIN_LISTS,
        *DETAILS,
        *REPORTS,
        *EXPORTS,
        *APIS,
        *API_DETAILS,
    )
    return _build(_Finder(school_id, gaps=gaps), specs, strict)


def district_catalogue(
    school_id: int, *, strict: bool = False, gaps: list[str] | None = None
) -> list[Page]:
    """The bureau's pages (the district of school ``school_id``), signed in as ``district``."""
    finder = _Finder(school_id, district=True, gaps=gaps)
    specs: tuple[Spec, ...] = (
        DISTRICT_FLOOR,
        *DISTRICT_LISTS,
        *DISTRICT_DETAILS,
        *DISTRICT_REPORTS,
    )
    return [replace(page, name=f"{page.name} [district]") for page in _build(finder, specs, strict)]


def floor_page(pages: Iterable[Page]) -> Page:
    return next(page for page in pages if page.kind == "floor")


def biggest_school() -> int:
    """The school with the most work orders (or users, before maintenance is generated)."""
    from django.db.models import Count

    from houqin.maintenance.models import WorkOrder
    from houqin.org.models import School

    row = (
        WorkOrder.objects.values("school_id")
        .annotate(n=Count("id"))
        .order_by("-n", "school_id")
        .first()
    )
    if row:
        return int(row["school_id"])
    school = School.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    if school is None:
        raise MissingObject("the database holds no school")
    return int(school.pk)


# -- building the catalogue --------------------------------------------------------------------


def _build(
    finder: _Finder, specs: Iterable[ListSpec | PathSpec | DetailSpec], strict: bool
) -> list[Page]:
    pages: list[Page] = []
    for spec in specs:
        try:
            if isinstance(spec, ListSpec):
                pages += _list_pages(finder, spec)
            elif isinstance(spec, DetailSpec):
                pages.append(_detail_page(finder, spec))
            else:
                pages.append(_path_page(finder, spec))
        except MissingObject as missing:
            if isinstance(spec, DetailSpec) and spec.optional:
                continue
            if strict:
                raise
            finder.gaps.append(str(missing))
    return pages


def _module(url: str) -> str:
    return url.split(":", 1)[0]


def _list_pages(finder: _Finder, spec: ListSpec) -> list[Page]:
    from django.urls import reverse

    path = reverse(spec.url)
    user = finder.username(spec.role)
    module = _module(spec.url)
    pages = [Page(spec.url, module, "list", path, user)]
    if spec.filter:
        query = finder.fill(spec.filter)
        pages.append(Page(f"{spec.url} filtered", module, "list", f"{path}?{query}", user))
    if spec.sort:
        pages.append(Page(f"{spec.url} sorted", module, "list", f"{path}?sort={spec.sort}", user))
    if spec.paged:
        pages.append(
            Page(f"{spec.url} page {LATER_PAGE}", module, "list", f"{path}?page={LATER_PAGE}", user)
        )
    return pages


def _path_page(finder: _Finder, spec: PathSpec) -> Page:
    from django.urls import reverse

    path = reverse(spec.url)
    if spec.query:
        path = f"{path}?{finder.fill(spec.query)}"
    name = f"{spec.url} xlsx" if "export=" in spec.query else spec.url
    if spec.suffix:
        name = f"{name} {spec.suffix}"
    return Page(name, spec.module or _module(spec.url), spec.kind, path, finder.username(spec.role))


def _detail_page(finder: _Finder, spec: DetailSpec) -> Page:
    from django.urls import reverse

    pk = finder.object_pk(spec)
    name = f"{spec.url} {spec.suffix}".strip()
    module = spec.model.split(".", 1)[0] if spec.kind == "api" else _module(spec.url)
    return Page(name, module, spec.kind, reverse(spec.url, args=[pk]), finder.username(spec.role))


class _Finder:
    """Looks up, in the school's data, the users, objects and filter values the pages need."""

    def __init__(
        self, school_id: int, *, district: bool = False, gaps: list[str] | None = None
    ) -> None:
        from houqin.org.models import School

        self.school = School.objects.get(pk=school_id)
        self.district = district
        self.gaps = gaps if gaps is not None else []
        self._usernames: dict[str, str] | None = None
        self._values: dict[str, str] = {}

    # -- personas -------------------------------------------------------------------------------

    def username(self, role: str) -> str:
        if self._usernames is None:
            self._usernames = self._load_usernames()
        for code in (role, "director"):
            if code in self._usernames:
                return self._usernames[code]
        raise MissingObject(f"no user holds the role {role!r} at {self.school}")

    def _load_usernames(self) -> dict[str, str]:
        from django.db.models.functions import Length

        from houqin.accounts.models import Membership

        if self.district:
            members = Membership.objects.filter(district_id=self.school.district_id)
        else:
            members = Membership.objects.filter(school_id=self.school.pk)
        rows = (
            members.filter(is_active=True, user__is_active=True)
            .annotate(size=Length("user__username"))
            .order_by("size", "user__username")
            .values_list("role__code", "user__username")
        )
        found: dict[str, str] = {}
        for code, username in rows:
            found.setdefault(code, username)
        return found

    # -- objects --------------------------------------------------------------------------------

    def scoped(self, label: str) -> Any:
        from django.apps import apps

        model = apps.get_model(label)
        queryset = model._default_manager.all()
        if label == "org.District":
            return queryset.filter(pk=self.school.district_id)
        if label == "org.School":
            return queryset.filter(pk=self.school.pk)
        if label == "accounts.User":
            return queryset.filter(memberships__school_id=self.school.pk).distinct()
        if any(field.name == "school" for field in model._meta.get_fields()):
            return queryset.filter(school_id=self.school.pk)
        return queryset

    def object_pk(self, spec: DetailSpec) -> int:
        queryset = self.scoped(spec.model).filter(**dict(spec.where)).order_by(spec.order)
        if spec.middle:
            count = queryset.count()
            queryset = queryset[count // 2 :] if count else queryset
        pk = queryset.values_list("pk", flat=True).first()
        if pk is None:
            raise MissingObject(f"no {spec.model} for {spec.url} at {self.school}")
        return int(pk)

    # -- filter values --------------------------------------------------------------------------

    def fill(self, template: str) -> str:
        return template.format_map(self)

    def __getitem__(self, key: str) -> str:
        if key not in self._values:
            self._values[key] = str(self._value(key))
        return self._values[key]

    def _value(self, key: str) -> Any:
        queries: dict[str, Callable[[], Any]] = {
            "school": lambda: self.school.pk,
            "district": lambda: self.school.district_id,
            "building": lambda: self._first("org.Building", "pk"),
            "room": lambda: self._first("org.Room", "pk"),
            # The logistics office (总务处) spends and asks the most; any department will do.
            "department": lambda: self._first("org.Department", "sort_order", offset=1),
            "term": lambda: self._first("org.Term", "-start"),
            "today": lambda: datetime.date.today().isoformat(),
        }
        if key not in queries:
            raise KeyError(key)
        return queries[key]()

    def _first(self, label: str, order: str, offset: int = 0) -> int:
        rows = list(self.scoped(label).order_by(order).values_list("pk", flat=True)[: offset + 1])
        if not rows:
            raise MissingObject(f"no {label} at {self.school}")
        return int(rows[min(offset, len(rows) - 1)])
