"""Regression tests of the purchasing review: returns are final and capped per acceptance,
deliveries go to the request lines still waiting, store units, stale drafts, one locking
order, cancelling what is left of a partly ordered request, and the API's school checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse

from houqin.finance.models import BudgetLine
from houqin.procurement.choices import AcceptanceStatus, LineStatus, OrderStatus, RequestStatus
from houqin.procurement.forms_requests import LineForm
from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    ProcurementSettings,
    PurchaseRequest,
    PurchaseRequestLine,
)
from houqin.procurement.services import acceptance as acceptance_services
from houqin.procurement.services.acceptance import (
    AcceptanceError,
    LineInput,
    acceptance_confirm,
    acceptance_return,
    acceptance_save,
)
from houqin.procurement.services.orders import (
    purchase_order_consolidate,
    purchase_order_place,
)
from houqin.procurement.services.requests import LineInput as RequestLine
from houqin.procurement.services.requests import (
    RequestError,
    purchase_request_cancel_rest,
    purchase_request_save,
)
from tests import factories as f
from tests import supplies
from tests.api.conftest import token_client
from tests.conftest import login

from .objects_orders import approved_request

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _setup(school: Any, rows_a: list[Any], rows_b: list[Any] | None = None) -> dict[str, Any]:
    """Requests A (教务处) and B (总务处), each paid from its own budget line, ordered
    together and placed."""
    office = f.DepartmentFactory(school=school, name="教务处")
    other = f.DepartmentFactory(school=school, name="总务处")
    teacher = f.member(school, "teacher", department=office)
    purchaser = f.member(school, "purchaser")
    storekeeper = f.member(school, "storekeeper")
    budget_a = supplies.budget_line(school, office, amount="20000")
    budget_b = supplies.budget_line(school, other, amount="20000")
    ProcurementSettings.objects.create(school=school, quote_threshold=Decimal("50000"))
    req_a = approved_request(school, office, teacher, rows_a, budget=budget_a)
    reqs = [req_a]
    req_b = None
    if rows_b:
        req_b = approved_request(school, other, teacher, rows_b, budget=budget_b)
        reqs.append(req_b)
    lines = [line for r in reqs for line in r.lines.order_by("pk")]
    order = purchase_order_consolidate(
        actor=purchaser, lines=lines, title="采购", supplier=supplies.supplier(school)
    )
    purchase_order_place(actor=purchaser, order=order)
    order.refresh_from_db()
    return {
        "order": order,
        "req_a": req_a,
        "req_b": req_b,
        "budget_a": budget_a,
        "budget_b": budget_b,
        "teacher": teacher,
        "purchaser": purchaser,
        "storekeeper": storekeeper,
    }


def _draft(s: dict[str, Any], qty: str) -> Acceptance:
    line = s["order"].lines.get()
    return acceptance_save(
        actor=s["purchaser"],
        order=s["order"],
        delivered_on=TODAY,
        lines=[LineInput(line.pk, Decimal(qty), Decimal(qty))],
        acceptors=[s["purchaser"], s["storekeeper"]],
    )


def _accept(s: dict[str, Any], qty: str) -> Acceptance:
    acc = _draft(s, qty)
    acceptance_confirm(actor=s["purchaser"], acceptance=acc)
    acc.refresh_from_db()
    return acc


def _fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


# -- 1 and 7: a return is final, capped by what the acceptance line accepted ------------------


def test_after_a_return_the_next_delivery_goes_to_the_request_still_waiting(school: Any) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 5, "20", paper)], [("A4纸", 5, "20", paper)])
    first = _accept(s, "5")
    acceptance_return(
        actor=s["purchaser"], line=first.lines.get(), quantity=Decimal("5"), reason="破损"
    )
    a_line, b_line = s["req_a"].lines.get(), s["req_b"].lines.get()
    # The return is final: A keeps its receipt, nothing more is due for it.
    assert (a_line.status, a_line.received) == (LineStatus.RECEIVED, Decimal("5"))
    assert _fresh(s["budget_a"]).spent == Decimal("0")  # refunded
    _accept(s, "5")
    b_line.refresh_from_db()
    a_line.refresh_from_db()
    assert (b_line.status, b_line.received) == (LineStatus.RECEIVED, Decimal("5"))
    assert a_line.received == Decimal("5")
    budget_a, budget_b = _fresh(s["budget_a"]), _fresh(s["budget_b"])
    assert (budget_a.spent, budget_a.committed) == (Decimal("0"), Decimal("0"))
    assert (budget_b.spent, budget_b.committed) == (Decimal("100.00"), Decimal("0"))
    req_b = _fresh(s["req_b"])
    assert (req_b.status, req_b.committed) == (RequestStatus.RECEIVED, Decimal("0"))
    order_line = s["order"].lines.get()
    assert (order_line.received, order_line.returned) == (Decimal("10"), Decimal("5"))
    assert _fresh(s["order"]).status == OrderStatus.RECEIVED
    assert _fresh(paper).quantity == Decimal("5")


def test_a_return_refunds_the_request_that_received_those_goods(school: Any) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 5, "20", paper)], [("A4纸", 5, "20", paper)])
    _accept(s, "5")  # to A
    second = _accept(s, "5")  # to B
    acceptance_return(
        actor=s["purchaser"], line=second.lines.get(), quantity=Decimal("2"), reason="破损"
    )
    assert _fresh(s["budget_a"]).spent == Decimal("100.00")
    assert _fresh(s["budget_b"]).spent == Decimal("60.00")


def test_one_acceptance_cannot_return_more_than_it_accepted(school: Any) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 10, "20", paper)])
    first = _accept(s, "5")
    _accept(s, "5")
    line = first.lines.get()
    acceptance_return(actor=s["purchaser"], line=line, quantity=Decimal("3"), reason="x")
    with pytest.raises(AcceptanceError, match="at most 2"):
        acceptance_return(actor=s["purchaser"], line=line, quantity=Decimal("5"), reason="y")
    acceptance_return(actor=s["purchaser"], line=line, quantity=Decimal("2"), reason="y")
    with pytest.raises(AcceptanceError, match="already gone back"):
        acceptance_return(actor=s["purchaser"], line=line, quantity=Decimal("1"), reason="z")
    assert _fresh(line).returned_later == Decimal("5")
    order_line = s["order"].lines.get()
    assert (order_line.received, order_line.returned) == (Decimal("10"), Decimal("5"))
    assert _fresh(s["budget_a"]).spent == Decimal("100.00")
    assert _fresh(paper).quantity == Decimal("5")


# -- 2: a store item's unit ------------------------------------------------------------------


def _draft_request(school: Any) -> tuple[Any, Any, Any]:
    office = f.DepartmentFactory(school=school, name="教务处")
    teacher = f.member(school, "teacher", department=office)
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    return office, teacher, paper


def test_a_store_line_in_another_unit_is_refused(school: Any) -> None:
    office, teacher, paper = _draft_request(school)
    request = PurchaseRequest(department=office, title="t", category="office", reason="r")
    with pytest.raises(RequestError, match="counted in 包"):
        purchase_request_save(
            actor=teacher,
            request=request,
            lines=[RequestLine("A4纸", Decimal("2"), "箱", Decimal("100"), stock_item=paper)],
        )
    assert not PurchaseRequestLine.objects.exists()
    request = PurchaseRequest(department=office, title="t", category="office", reason="r")
    purchase_request_save(
        actor=teacher,
        request=request,
        lines=[RequestLine("A4纸", Decimal("2"), "", Decimal("20"), stock_item=paper)],
    )
    assert request.lines.get().unit == "包"


def test_the_line_form_and_the_api_refuse_another_unit(school: Any) -> None:
    office, teacher, paper = _draft_request(school)
    items = {str(paper.pk): paper}
    data = {"stock_item": str(paper.pk), "quantity": "2", "unit": "箱", "estimated_price": "9"}
    form = LineForm(data, items=items)
    assert not form.is_valid()
    assert "counted in 包" in str(form.errors["unit"])
    blank = LineForm({**data, "unit": ""}, items=items)
    assert blank.is_valid(), blank.errors
    assert blank.cleaned_data["unit"] == "包"
    client = token_client(teacher)
    body = {
        "department": office.pk,
        "title": "纸",
        "category": "office",
        "reason": "教学",
        "lines": [{"stock_item": paper.pk, "quantity": "2", "unit": "箱"}],
    }
    refused = client.post("/api/v1/purchase-requests/", body, format="json")
    assert refused.status_code == 400
    assert "counted in 包" in str(refused.json())
    body["lines"][0]["unit"] = "包"
    made = client.post("/api/v1/purchase-requests/", body, format="json")
    assert made.status_code == 201, made.json()


# -- 3: a stale draft cannot reopen a confirmed acceptance ------------------------------------


def test_a_stale_edit_does_not_reopen_a_confirmed_acceptance(school: Any) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 10, "20", paper)])
    acc = _draft(s, "4")
    stale = Acceptance.objects.get(pk=acc.pk)  # what the edit page loaded
    also_stale = Acceptance.objects.get(pk=acc.pk)
    acceptance_confirm(actor=s["purchaser"], acceptance=acc)  # a colleague confirms
    line = s["order"].lines.get()
    with pytest.raises(AcceptanceError, match="Only a draft"):
        acceptance_save(
            actor=s["purchaser"],
            order=s["order"],
            delivered_on=TODAY,
            lines=[LineInput(line.pk, Decimal("4"), Decimal("4"))],
            acceptors=[s["purchaser"], s["storekeeper"]],
            acceptance=stale,
        )
    with pytest.raises(AcceptanceError, match="already"):
        acceptance_confirm(actor=s["purchaser"], acceptance=also_stale)
    assert _fresh(acc).status == AcceptanceStatus.CONFIRMED
    assert AcceptanceLine.objects.filter(acceptance=acc).count() == 1
    assert _fresh(paper).quantity == Decimal("4")


# -- 4 and 5: one locking order ---------------------------------------------------------------


def test_confirm_locks_every_budget_line_at_once_before_spending(
    school: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 5, "20", paper)], [("A4纸", 5, "20", paper)])
    events: list[tuple[str, Any]] = []
    lock = acceptance_services.lock_budget_lines
    spend = acceptance_services.budget_spend

    def locking(ids: Any) -> None:
        wanted = [pk for pk in ids if pk]
        events.append(("lock", sorted(wanted)))
        lock(wanted)

    def spending(**kwargs: Any) -> Any:
        events.append(("spend", kwargs["line"]))
        return spend(**kwargs)

    monkeypatch.setattr(acceptance_services, "lock_budget_lines", locking)
    monkeypatch.setattr(acceptance_services, "budget_spend", spending)
    _accept(s, "10")
    both = sorted([s["budget_a"].pk, s["budget_b"].pk])
    assert events[0] == ("lock", both)
    assert [kind for kind, _value in events[1:]] == ["spend", "spend"]


def test_consolidation_locks_the_requests_before_their_lines(
    school: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher", department=office)
    purchaser = f.member(school, "purchaser")
    first = approved_request(school, office, teacher, [("A4纸", 5, "20")])
    second = approved_request(school, office, teacher, [("A4纸", 5, "20")])
    locked: list[Any] = []
    original = QuerySet.select_for_update

    def recording(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    lines = [*second.lines.all(), *first.lines.all()]
    purchase_order_consolidate(actor=purchaser, lines=lines, title="纸")
    assert PurchaseRequest in locked and PurchaseRequestLine in locked
    assert locked.index(PurchaseRequest) < locked.index(PurchaseRequestLine)


# -- 6: cancelling what is left of a partly ordered request -----------------------------------


def _partly_ordered(school: Any) -> dict[str, Any]:
    office = f.DepartmentFactory(school=school, name="教务处")
    teacher = f.member(school, "teacher", department=office)
    purchaser = f.member(school, "purchaser")
    storekeeper = f.member(school, "storekeeper")
    budget = supplies.budget_line(school, office, amount="20000")
    request = approved_request(
        school, office, teacher, [("A4纸", 10, "20"), ("订书机", 2, "50")], budget=budget
    )
    paper_line = request.lines.get(item_name="A4纸")
    order = purchase_order_consolidate(
        actor=purchaser, lines=[paper_line], title="纸", supplier=supplies.supplier(school)
    )
    purchase_order_place(actor=purchaser, order=order)
    request.refresh_from_db()
    assert request.status == RequestStatus.ORDERING
    return {
        "request": request,
        "order": _fresh(order),
        "budget": budget,
        "teacher": teacher,
        "purchaser": purchaser,
        "storekeeper": storekeeper,
    }


def test_the_office_cancels_the_lines_not_ordered_and_the_money_comes_back(school: Any) -> None:
    w = _partly_ordered(school)
    request = w["request"]
    assert _fresh(w["budget"]).committed == Decimal("300.00")
    with pytest.raises(RequestError, match="reason"):
        purchase_request_cancel_rest(actor=w["purchaser"], request=request, reason=" ")
    with pytest.raises(RequestError, match="purchasing office"):
        purchase_request_cancel_rest(actor=w["teacher"], request=request, reason="不买了")
    purchase_request_cancel_rest(actor=w["purchaser"], request=request, reason="不买了")
    assert request.lines.get(item_name="订书机").status == LineStatus.CANCELLED
    request = _fresh(request)
    assert (request.status, request.committed) == (RequestStatus.ORDERED, Decimal("200.00"))
    assert _fresh(w["budget"]).committed == Decimal("200.00")
    with pytest.raises(RequestError, match="partly ordered"):
        purchase_request_cancel_rest(actor=w["purchaser"], request=request, reason="again")
    _accept(w, "10")
    request = _fresh(request)
    assert (request.status, request.committed) == (RequestStatus.RECEIVED, Decimal("0"))
    budget = _fresh(w["budget"])
    assert (budget.committed, budget.spent) == (Decimal("0"), Decimal("200.00"))


def test_cancelling_the_rest_after_everything_ordered_arrived_settles_the_request(
    school: Any,
) -> None:
    w = _partly_ordered(school)
    _accept(w, "10")
    request = _fresh(w["request"])
    assert request.status == RequestStatus.ORDERING
    assert request.committed == Decimal("100.00")
    purchase_request_cancel_rest(actor=w["purchaser"], request=request, reason="不买了")
    request = _fresh(request)
    assert (request.status, request.committed) == (RequestStatus.RECEIVED, Decimal("0"))
    assert _fresh(w["budget"]).committed == Decimal("0")


def test_the_request_page_offers_cancelling_the_rest_to_the_office(school: Any) -> None:
    w = _partly_ordered(school)
    request = w["request"]
    office = login(w["purchaser"])
    office.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = office.get(request.get_absolute_url()).content.decode()
    assert 'data-testid="cancel-rest"' in page
    requester = login(w["teacher"])
    assert (
        'data-testid="cancel-rest"'
        not in requester.get(request.get_absolute_url()).content.decode()
    )
    url = reverse("procurement:request_action", args=[request.pk, "cancel_rest"])
    refused = office.post(url, {"reason": ""}, follow=True)
    assert "Please give a reason." in refused.content.decode()
    assert _fresh(request).status == RequestStatus.ORDERING
    done = office.post(url, {"reason": "不买了"}, follow=True)
    assert "are cancelled" in done.content.decode()
    assert _fresh(request).status == RequestStatus.ORDERED


# -- 9: the API's school checks ---------------------------------------------------------------


def test_consolidating_lines_of_another_school_says_unknown_line(
    school: Any, other_school: Any
) -> None:
    theirs_office = f.DepartmentFactory(school=other_school)
    theirs = approved_request(
        other_school,
        theirs_office,
        f.member(other_school, "teacher", department=theirs_office),
        [("A4纸", 5, "20")],
    )
    office = f.DepartmentFactory(school=school)
    ours = approved_request(
        school, office, f.member(school, "teacher", department=office), [("A4纸", 5, "20")]
    )
    client = token_client(f.member(school, "purchaser"))
    for ids in ([theirs.lines.get().pk], [theirs.lines.get().pk, ours.lines.get().pk]):
        answer = client.post(
            "/api/v1/purchase-orders/consolidate/", {"lines": ids, "title": "纸"}, format="json"
        )
        assert answer.status_code == 400
        assert answer.json()["error"]["fields"]["lines"] == ["Unknown line."]
    assert theirs.lines.get().status == LineStatus.OPEN


def test_an_inactive_member_cannot_be_an_acceptor(school: Any) -> None:
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    s = _setup(school, [("A4纸", 10, "20", paper)])
    gone = f.member(school, "storekeeper")
    gone.memberships.update(is_active=False)
    client = token_client(s["purchaser"])
    body = {
        "order": s["order"].pk,
        "delivered_on": TODAY.isoformat(),
        "acceptors": [s["purchaser"].pk, gone.pk],
        "lines": [{"order_line": s["order"].lines.get().pk, "delivered": "10"}],
    }
    refused = client.post("/api/v1/acceptances/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["acceptors"] == ["Not a member of this school."]
    body["acceptors"] = [s["purchaser"].pk, s["purchaser"].pk, s["storekeeper"].pk]
    made = client.post("/api/v1/acceptances/", body, format="json")
    assert made.status_code == 201, made.json()
    assert len(made.json()["acceptors"]) == 2
    assert not BudgetLine.objects.filter(spent__gt=0).exists()
