from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction

from houqin.core.models import DocumentSequence, StatusChange
from houqin.core.numbers import next_number
from houqin.core.workflow import TransitionError, transition
from houqin.finance.models import Expense, ExpenseStatus
from tests import factories as f

ON_POSTGRES = connection.vendor == "postgresql"
needs_server_db = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="threads need a server database; ./houqin test always runs the PostgreSQL pass",
)


def make_expense(school: Any) -> Expense:
    requester = f.member(school, "teacher")
    return Expense.objects.create(
        school=school,
        number=next_number(school.pk, "BX"),
        title="纸",
        requester=requester,
        department=f.DepartmentFactory(school=school),
        category="office",
        amount=Decimal("10"),
        description="x",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (ExpenseStatus.DRAFT, ExpenseStatus.PENDING, True),
        (ExpenseStatus.DRAFT, ExpenseStatus.APPROVED, False),
        (ExpenseStatus.PENDING, ExpenseStatus.APPROVED, True),
        (ExpenseStatus.PENDING, ExpenseStatus.PAID, False),
        (ExpenseStatus.APPROVED, ExpenseStatus.PAID, True),
        (ExpenseStatus.REJECTED, ExpenseStatus.PENDING, False),
        (ExpenseStatus.PAID, ExpenseStatus.DRAFT, False),
    ],
)
def test_transitions_follow_the_table(school: Any, start: str, to: str, allowed: bool) -> None:
    expense = make_expense(school)
    Expense.objects.filter(pk=expense.pk).update(status=start)
    expense.refresh_from_db()
    if allowed:
        transition(expense, to, actor=None, check_permission=False)
        assert Expense.objects.get(pk=expense.pk).status == to
        change = StatusChange.objects.get(object_id=str(expense.pk))
        assert (change.from_status, change.to_status) == (start, to)
    else:
        with pytest.raises(TransitionError):
            transition(expense, to, actor=None, check_permission=False)
        assert Expense.objects.get(pk=expense.pk).status == start
        assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_a_transition_checks_the_permission_of_its_edge(school: Any) -> None:
    expense = make_expense(school)
    Expense.objects.filter(pk=expense.pk).update(status=ExpenseStatus.APPROVED)
    teacher = f.member(school, "teacher")
    with pytest.raises(TransitionError):
        transition(expense, ExpenseStatus.PAID, actor=teacher)
    accountant = f.member(school, "accountant")
    transition(expense, ExpenseStatus.PAID, actor=accountant)


@pytest.mark.django_db
def test_numbers_run_per_school_prefix_and_year(school: Any, other_school: Any) -> None:
    import datetime

    assert next_number(school.pk, "BX").endswith("-000001")
    assert next_number(school.pk, "BX").endswith("-000002")
    assert next_number(other_school.pk, "BX").endswith("-000001")
    assert next_number(school.pk, "CG").endswith("-000001")
    assert next_number(school.pk, "BX", datetime.date(2030, 1, 1)) == "BX-2030-000001"


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back(school: Any) -> None:
    first = next_number(school.pk, "BX")
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(school.pk, "BX")
        raise RuntimeError
    assert next_number(school.pk, "BX") == first[:-1] + "2"


def run_in_threads(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[Exception]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[Exception] = []

    def runner(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@needs_server_db
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_have_no_gaps_or_duplicates(school: Any) -> None:
    results, errors = run_in_threads(16, lambda i: next_number(school.pk, "BX"))
    assert not errors
    assert sorted(int(n[-6:]) for n in results) == list(range(1, 17))
    assert DocumentSequence.objects.get(school=school, prefix="BX").last_number == 16
