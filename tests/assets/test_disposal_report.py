"""The yearly disposal report: figures by category and method, the year's disposals, xlsx."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets.models import AssetDisposal
from houqin.assets.services import disposal as services
from tests.conftest import login

from .objects_disposal import disposal_world, make_disposal

pytestmark = pytest.mark.django_db

URL = reverse("assets:disposal_report")


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    return disposal_world(school)


def dispose(w: SimpleNamespace, assets: list[Any], method: str, proceeds: str) -> AssetDisposal:
    disposal = services.disposal_submit(
        actor=w.keeper, disposal=make_disposal(w.school, w.keeper, assets)
    )
    request = ApprovalRequest.objects.get(object_id=disposal.pk, request_type="asset_disposal")
    for approver in (w.director, w.principal):
        request.refresh_from_db()
        if request.status == "pending":
            approval_act(request=request, actor=approver, action="approve")
    return services.disposal_complete(
        actor=w.keeper, disposal=disposal, method=method, proceeds=Decimal(proceeds)
    )


@pytest.fixture
def year_of_disposals(w: SimpleNamespace) -> SimpleNamespace:
    pc2 = w.asset("台式计算机", "5200.00")
    w.recycled = dispose(w, [w.pc, w.desks], "recycling", "500.00")
    w.sold = dispose(w, [pc2], "sale", "300.00")
    w.pending = make_disposal(w.school, w.keeper, [w.idle])  # not completed: not counted
    w.last_year = dispose(w, [w.server], "transfer_out", "0")
    moved = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 6, 1, 12))
    AssetDisposal.objects.filter(pk=w.last_year.pk).update(completed_at=moved)
    return w


def test_the_report_adds_up_the_year(year_of_disposals: SimpleNamespace) -> None:
    w = year_of_disposals
    response = login(w.keeper).get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.year == timezone.localdate().year
    total = report.total
    assert (total.assets, total.quantity) == (3, 52)
    assert total.original == Decimal("16000.00")
    assert total.proceeds == Decimal("800.00")
    by_category = {row.label: row for row in report.by_category}
    assert set(by_category) == {"台式计算机", "学生课桌椅"}
    computers = by_category["台式计算机"]
    assert (computers.assets, computers.quantity, computers.original) == (2, 2, Decimal("10000.00"))
    # 500 shared 4800 : 6000 between the computer and the desks, plus the 300 of the sale
    assert computers.proceeds == Decimal("222.22") + Decimal("300.00")
    assert by_category["学生课桌椅"].proceeds == Decimal("277.78")
    assert sum(row.net for row in report.by_category) == total.net
    by_method = {row.key: row for row in report.by_method}
    assert by_method["recycling"].assets == 2
    assert by_method["recycling"].proceeds == Decimal("500.00")
    assert by_method["sale"].original == Decimal("5200.00")
    assert [d.number for d in report.disposals] == [w.recycled.number, w.sold.number]
    html = response.content.decode()
    assert w.recycled.number in html and w.pending.number not in html


def test_the_report_of_last_year(year_of_disposals: SimpleNamespace) -> None:
    w = year_of_disposals
    year = timezone.localdate().year - 1
    report = login(w.keeper).get(f"{URL}?year={year}").context["report"]
    assert [d.number for d in report.disposals] == [w.last_year.number]
    assert report.by_method[0].key == "transfer_out"
    assert report.total.original == Decimal("150000.00")
    empty = login(w.keeper).get(f"{URL}?year=2001")
    assert empty.status_code == 200
    assert empty.context["report"].total.assets == 0
    assert login(w.keeper).get(f"{URL}?year=abc").status_code == 200


def test_the_report_downloads_as_xlsx(year_of_disposals: SimpleNamespace) -> None:
    from openpyxl import load_workbook

    w = year_of_disposals
    response = login(w.keeper).get(f"{URL}?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert len(book.sheetnames) == 3
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[-1][0] in ("Total", "合计")
    assert rows[-1][3] == 16000.0
    numbers = [r[0] for r in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert numbers == [w.recycled.number, w.sold.number]


def test_the_report_needs_the_permission(w: SimpleNamespace) -> None:
    assert login(w.teacher).get(URL).status_code == 403
    assert login(w.principal).get(URL).status_code == 200


def test_the_bureau_sees_a_row_per_school_instead_of_every_disposal(
    year_of_disposals: SimpleNamespace, other_school: Any
) -> None:
    from tests import factories as f

    w = year_of_disposals
    other_school.district = w.school.district
    other_school.save()
    bureau = f.district_member(w.school.district)
    response = login(bureau).get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.disposals == []
    assert [(r.label, r.assets, r.original, r.proceeds) for r in report.by_school] == [
        (w.school.name, 3, Decimal("16000.00"), Decimal("800.00"))
    ]
    assert report.total.proceeds == Decimal("800.00")
    html = response.content.decode()
    assert 'data-testid="by-school"' in html and w.recycled.number not in html
    # The export still lists every disposal.
    assert login(bureau).get(f"{URL}?export=xlsx").status_code == 200
