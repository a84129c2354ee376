"""Comments and the activity timeline of every object."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from houqin.core.attachments.models import Comment
from houqin.core.attachments.selectors import timeline
from houqin.core.attachments.services import attachment_upload, comment_add
from houqin.core.models import AuditEntry, StatusChange
from tests import factories as f
from tests.conftest import login

from .objects import png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(school: Any) -> Any:
    return f.RoomFactory(building__campus__school=school)


def comments_url(obj: Any) -> str:
    return reverse("core:comment_add", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_it_adds_a_comment_and_shows_it_on_the_timeline(
    as_teacher: Any, teacher: Any, room: Any
) -> None:
    response = as_teacher.post(comments_url(room), {"body": "  三楼窗户<b>坏了</b>  "})
    assert response.status_code == 302
    assert response["Location"] == room.get_absolute_url() + "#hq-timeline"
    comment = Comment.objects.get()
    assert (comment.author, comment.body, comment.school_id) == (
        teacher,
        "三楼窗户<b>坏了</b>",
        room.school_id,
    )
    page = as_teacher.get(room.get_absolute_url()).content.decode()
    assert "三楼窗户&lt;b&gt;坏了&lt;/b&gt;" in page
    assert f'id="comment-{comment.pk}"' in page
    assert AuditEntry.objects.filter(object_id=str(comment.pk), action="create").exists()


def test_htmx_answers_with_the_timeline_only(as_teacher: Any, room: Any) -> None:
    response = as_teacher.post(comments_url(room), {"body": "好的"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="hq-timeline"')
    assert "hq-attachments" not in html
    assert "好的" in html


def test_an_empty_comment_writes_nothing(as_teacher: Any, room: Any) -> None:
    before = AuditEntry.objects.count()
    response = as_teacher.post(comments_url(room), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert Comment.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_commenting_needs_the_view_permission_and_scope(
    nobody: Any, room: Any, other_school: Any, client: Any
) -> None:
    assert login(nobody).post(comments_url(room), {"body": "x"}).status_code == 403
    outsider = f.member(other_school, "director")
    assert login(outsider).post(comments_url(room), {"body": "x"}).status_code == 404
    response = client.post(comments_url(room), {"body": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Comment.objects.count() == 0


def test_the_timeline_merges_comments_status_changes_and_audit_newest_first(
    director: Any, room: Any
) -> None:
    now = datetime.datetime.now(datetime.UTC)
    content_type = ContentType.objects.get_for_model(room)
    AuditEntry.objects.filter(content_type=content_type, object_id=str(room.pk)).update(
        created_at=now - datetime.timedelta(hours=3)
    )
    move = StatusChange.objects.create(
        content_type=content_type,
        object_id=str(room.pk),
        school=room.school,
        from_status="",
        to_status="closed",
        actor=director,
        reason="装修",
    )
    StatusChange.objects.filter(pk=move.pk).update(created_at=now - datetime.timedelta(hours=2))
    comment = comment_add(actor=director, owner=room, body="开始装修")
    Comment.objects.filter(pk=comment.pk).update(created_at=now - datetime.timedelta(hours=1))
    attachment_upload(actor=director, owner=room, files=[upload("现场.png", png_bytes())])

    events, truncated = timeline(director, room)
    assert [e.kind for e in events] == ["audit", "comment", "status", "audit"]
    assert events[0].icon == "paperclip" and "现场.png" in events[0].detail
    assert events[1].comment == comment
    assert events[2].detail == "装修"
    assert not truncated


def test_the_author_may_change_a_comment_for_a_while(
    as_teacher: Any, teacher: Any, room: Any
) -> None:
    comment = comment_add(actor=teacher, owner=room, body="旧的")
    edit = reverse("core:comment_edit", args=[comment.pk])
    assert as_teacher.get(edit).status_code == 200
    assert as_teacher.post(edit, {"body": ""}).status_code == 422
    assert as_teacher.post(edit, {"body": "新的"}).status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.edited) == ("新的", True)

    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - datetime.timedelta(minutes=16)
    )
    assert as_teacher.post(edit, {"body": "更新的"}).status_code == 403
    delete = reverse("core:comment_delete", args=[comment.pk])
    assert as_teacher.post(delete).status_code == 403


def test_others_may_not_change_a_comment_but_admins_may(
    teacher: Any, director: Any, admin_user: Any, room: Any
) -> None:
    comment = comment_add(actor=teacher, owner=room, body="x")
    edit = reverse("core:comment_edit", args=[comment.pk])
    delete = reverse("core:comment_delete", args=[comment.pk])
    assert login(director).post(edit, {"body": "y"}).status_code == 403
    assert login(director).post(delete).status_code == 403
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - datetime.timedelta(days=3)
    )
    assert login(admin_user).post(edit, {"body": "已处理"}).status_code == 302
    assert login(admin_user).get(delete).status_code == 200
    assert login(admin_user).post(delete).status_code == 302
    assert not Comment.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(comment.pk), action="delete").exists()


def test_the_timeline_offers_edit_links_only_to_who_may_use_them(
    as_teacher: Any, as_director: Any, teacher: Any, room: Any
) -> None:
    comment = comment_add(actor=teacher, owner=room, body="x")
    edit = reverse("core:comment_edit", args=[comment.pk])
    assert edit in as_teacher.get(room.get_absolute_url()).content.decode()
    assert edit not in as_director.get(room.get_absolute_url()).content.decode()


def test_objects_without_a_school_have_no_comments(admin_user: Any, school: Any) -> None:
    client = login(admin_user)
    district = school.district
    page = client.get(district.get_absolute_url())
    assert page.status_code == 200
    assert 'id="hq-timeline"' not in page.content.decode()
    assert client.post(comments_url(district), {"body": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_school_carries_attachments_and_comments(as_director: Any, school: Any) -> None:
    response = as_director.post(comments_url(school), {"body": "年度检查"})
    assert response.status_code == 302
    assert Comment.objects.get().school_id == school.pk
    assert "年度检查" in as_director.get(school.get_absolute_url()).content.decode()
