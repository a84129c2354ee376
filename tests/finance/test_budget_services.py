"""Budget money: commit, release, spend, refund and change the amount; arithmetic, refusals,
and the ledger that always adds up to the line's totals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from houqin.finance.models import BudgetEntry, BudgetLine, BudgetPolicy, FinanceSettings
from houqin.finance.services import budgets as money
from houqin.finance.services.budgets import BudgetError
from tests import factories as f
from tests import supplies

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def line(school: Any) -> BudgetLine:
    return supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")


def fresh(line: BudgetLine) -> BudgetLine:
    return BudgetLine.objects.get(pk=line.pk)


def test_it_commits_within_the_budget_and_writes_an_entry(line: BudgetLine) -> None:
    entry = money.budget_commit(
        line=line, amount=D("400"), actor=None, source_type="purchase_request", source_id=7
    )
    assert entry is not None and entry.kind == "commit"
    assert (entry.amount, entry.committed_after, entry.spent_after, entry.budget_after) == (
        D("400"),
        D("400"),
        D("0"),
        D("1000"),
    )
    assert fresh(line).available == D("600")


def test_it_refuses_a_commitment_above_the_available_money_under_the_block_policy(
    line: BudgetLine,
) -> None:
    money.budget_commit(line=line, amount=D("900"), actor=None)
    with pytest.raises(BudgetError, match=r"has 100\.00 yuan available; this needs 100\.01"):
        money.budget_commit(line=line, amount=D("100.01"), actor=None)
    assert fresh(line).committed == D("900")
    assert BudgetEntry.objects.filter(line=line).count() == 1


def test_it_lets_an_overrun_through_under_the_warn_policy(line: BudgetLine) -> None:
    FinanceSettings.objects.create(school=line.school, budget_policy=BudgetPolicy.WARN)
    allowed, message = money.check(fresh(line), D("1500"))
    assert allowed and "available" in message
    money.budget_commit(line=line, amount=D("1500"), actor=None)
    assert fresh(line).available == D("-500")


def test_check_is_silent_when_the_money_suffices(line: BudgetLine) -> None:
    assert money.check(line, D("1000")) == (True, "")


def test_zero_is_no_entry_and_negative_is_refused(line: BudgetLine) -> None:
    assert money.budget_commit(line=line, amount=D("0"), actor=None) is None
    with pytest.raises(BudgetError, match="negative"):
        money.budget_commit(line=line, amount=D("-1"), actor=None)
    with pytest.raises(BudgetError, match="negative"):
        money.budget_spend(line=line, amount=D("-1"), actor=None)
    assert not BudgetEntry.objects.filter(line=line).exists()


def test_amounts_are_rounded_to_cents(line: BudgetLine) -> None:
    money.budget_commit(line=line, amount=D("10.005"), actor=None)
    assert fresh(line).committed in (D("10.00"), D("10.01"))
    assert fresh(line).committed == BudgetEntry.objects.get(line=line).amount


def test_release_gives_back_at_most_what_is_committed(line: BudgetLine) -> None:
    money.budget_commit(line=line, amount=D("300"), actor=None)
    entry = money.budget_release(line=line, amount=D("500"), actor=None)
    assert entry is not None and entry.amount == D("300")
    assert fresh(line).committed == D("0")
    assert money.budget_release(line=line, amount=D("5"), actor=None) is None


def test_spend_turns_the_commitment_into_spending(line: BudgetLine) -> None:
    money.budget_commit(line=line, amount=D("500"), actor=None)
    money.budget_spend(line=line, amount=D("450"), release=D("500"), actor=None)
    line = fresh(line)
    assert (line.committed, line.spent, line.available) == (D("0"), D("450"), D("550"))
    kinds = list(
        BudgetEntry.objects.filter(line=line).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["commit", "release", "spend"]


def test_spending_is_a_fact_recorded_even_above_the_budget(line: BudgetLine) -> None:
    money.budget_spend(line=line, amount=D("1200"), actor=None)
    assert fresh(line).available == D("-200")


def test_refund_takes_back_at_most_what_was_spent(line: BudgetLine) -> None:
    money.budget_spend(line=line, amount=D("100"), actor=None)
    entry = money.budget_refund(line=line, amount=D("150"), actor=None)
    assert entry is not None and entry.amount == D("100")
    assert fresh(line).spent == D("0")
    assert money.budget_refund(line=line, amount=D("1"), actor=None) is None


def test_the_amount_cannot_go_below_what_is_used(line: BudgetLine) -> None:
    money.budget_commit(line=line, amount=D("300"), actor=None)
    money.budget_spend(line=line, amount=D("200"), actor=None)
    with pytest.raises(BudgetError, match=r"\(500.00 yuan\)"):
        money.budget_change_amount(line=line, delta=D("-501"), actor=None)
    entry = money.budget_change_amount(line=line, delta=D("-500"), actor=None)
    assert entry.kind == "adjust" and entry.budget_after == D("500")
    assert fresh(line).available == D("0")
    with pytest.raises(BudgetError, match="zero"):
        money.budget_change_amount(line=line, delta=D("0"), actor=None)


def test_a_missing_line_is_refused(line: BudgetLine) -> None:
    with pytest.raises(BudgetError, match="does not exist"):
        money.budget_commit(line=line.pk + 1000, amount=D("1"), actor=None)


def test_line_for_finds_the_line_of_the_school_year(line: BudgetLine) -> None:
    year = line.school_year
    found = money.line_for(
        school_id=line.school_id,
        department_id=line.department_id,
        category="office",
        on=year.start + datetime.timedelta(days=3),
    )
    assert found == line
    assert (
        money.line_for(
            school_id=line.school_id,
            department_id=line.department_id,
            category="office",
            on=year.end + datetime.timedelta(days=1),
        )
        is None
    )


def test_settings_default_to_blocking(school: Any) -> None:
    config = money.settings_for(school.pk)
    assert config.pk is None and config.budget_policy == BudgetPolicy.BLOCK
    assert config.require_budget_line


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["commit", "release", "spend", "refund", "adjust"]),
        st.decimals(min_value=-300, max_value=800, places=2, allow_nan=False),
        st.decimals(min_value=0, max_value=800, places=2, allow_nan=False),
    ),
    max_size=25,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS, warn=st.booleans())
def test_any_sequence_keeps_the_totals_equal_to_the_ledger(
    school: Any, operations: list[tuple[str, Decimal, Decimal]], warn: bool
) -> None:
    """Whatever happens, committed and spent stay ≥ 0 and equal to the sum of their entries,
    the amount equals the first budget plus the adjustments, and a refused step changes
    nothing; under the block policy commitments never exceed the budget."""
    FinanceSettings.objects.update_or_create(
        school=school,
        defaults={"budget_policy": BudgetPolicy.WARN if warn else BudgetPolicy.BLOCK},
    )
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    for kind, amount, extra in operations:
        before = fresh(line)
        try:
            if kind == "commit":
                money.budget_commit(line=line, amount=amount, actor=None)
            elif kind == "release":
                money.budget_release(line=line, amount=amount, actor=None)
            elif kind == "spend":
                money.budget_spend(line=line, amount=amount, release=extra, actor=None)
            elif kind == "refund":
                money.budget_refund(line=line, amount=amount, actor=None)
            else:
                money.budget_change_amount(line=line, delta=amount, actor=None)
        except BudgetError:
            after = fresh(line)
            assert (after.amount, after.committed, after.spent) == (
                before.amount,
                before.committed,
                before.spent,
            )
            continue
        now = fresh(line)
        assert now.committed >= 0 and now.spent >= 0 and now.amount >= 0
        if kind == "commit" and not warn and amount > 0:
            assert now.committed + now.spent <= now.amount or before.available < 0
    line = fresh(line)
    sums = {
        row["kind"]: row["total"]
        for row in BudgetEntry.objects.filter(line=line)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    zero = D("0")
    assert line.committed == sums.get("commit", zero) - sums.get("release", zero)
    assert line.spent == sums.get("spend", zero) - sums.get("refund", zero)
    assert line.amount == line.initial_amount + sums.get("adjust", zero)
    last = BudgetEntry.objects.filter(line=line).order_by("-id").first()
    if last is not None:
        assert (last.committed_after, last.spent_after, last.budget_after) == (
            line.committed,
            line.spent,
            line.amount,
        )
