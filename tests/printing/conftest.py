from __future__ import annotations

from typing import Any

import pytest

from houqin.printing.models import PrintJob
from houqin.printing.services.jobs import print_job_save
from tests import factories as f
from tests import supplies


@pytest.fixture
def department(school: Any) -> Any:
    return f.DepartmentFactory(school=school, name="教务处")


@pytest.fixture
def head(school: Any, department: Any) -> Any:
    user = f.member(school, "depthead", department=department, real_name="张主任")
    department.head = user
    department.save()
    return user


@pytest.fixture
def requester(school: Any, department: Any) -> Any:
    return f.member(school, "teacher", department=department, real_name="刘老师")


@pytest.fixture
def operator(school: Any) -> Any:
    return f.member(school, "storekeeper", real_name="孙师傅")


@pytest.fixture
def paper(school: Any) -> Any:
    """A4 paper, 500 sheets a ream, 10 reams in stock at 25 yuan."""
    item = supplies.stock_item(
        school,
        name="A4复印纸",
        unit="包",
        category="paper",
        paper_size="A4",
        sheets_per_unit=500,
    )
    supplies.receive(item, 10, "25")
    return item


def make_job(requester: Any, department: Any, **kw: Any) -> PrintJob:
    values: dict[str, Any] = {
        "department": department,
        "title": "期中考试卷",
        "description": "原稿在文印室",
        "purpose": "exam",
        "pages": 40,
        "copies": 2,
        "duplex": True,
    }
    values.update(kw)
    return print_job_save(actor=requester, job=PrintJob(**values))
