"""The demo disposals: one completed, one waiting for the principal; loading twice adds none."""

from __future__ import annotations

import pytest

from houqin.approvals.models import ApprovalRequest
from houqin.assets.models import AssetDisposal
from houqin.demo import assets_disposal
from houqin.org.models import School

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_completed_and_a_waiting_disposal(demo_data: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    done = AssetDisposal.objects.get(school=school, status="completed")
    assert done.method == "recycling" and done.proceeds > 0
    names = set(done.lines.values_list("asset__category__name", flat=True))
    assert "学生课桌椅" in names and len(names) == 2
    assert {line.asset.status for line in done.lines.select_related("asset")} == {"disposed"}
    waiting = AssetDisposal.objects.get(school=school, status="pending")
    request = ApprovalRequest.objects.get(object_id=waiting.pk, request_type="asset_disposal")
    step = request.steps.get(status="pending")
    assert step.role is not None and step.role.code == "principal"
    assert not AssetDisposal.objects.exclude(school=school).exists()

    assets_disposal.load(school)
    assert AssetDisposal.objects.filter(school=school).count() == 2
