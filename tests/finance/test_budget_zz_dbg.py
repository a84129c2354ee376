from tests.finance.test_budget_import import upload, setup  # noqa
from houqin.core.imports import import_rows, ImportContext
from houqin.finance.imports_budgets import BudgetLineImport

def test_dbg(school, setup):
    year, client = setup
    res = import_rows(BudgetLineImport(), [(1, ["学年", "部门", "类别", "预算（元）", "备注"]), (2, [year.name, "教务处", "教学用品", "12000", ""])], ImportContext(school=school, actor=None))
    print(res.errors)
    assert 0
