"""Upload, download, delete attachments; add, change and delete comments.

Every view answers an anonymous user with the login page, a user without the owner's
permission with 403 and an owner outside the user's scope with 404 (see ``access``). Files
are streamed from storage by ``AttachmentFileView``: there is no public media URL.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ..uploads import max_upload_bytes
from . import services
from .access import (
    can_change_comment,
    can_delete_attachment,
    can_upload,
    owner_from_url,
    owner_of,
    owner_school_id,
    require,
)
from .models import Attachment, Comment
from .selectors import object_panel


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "maxlength": 5000}),
    )


class SizeLimitHandler(FileUploadHandler):
    """Skips (does not buffer or write) any file over the upload limit as it arrives."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.too_large.append(str(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class OwnerView(View):
    """Login (302), then the owner's permission (403) and scope (404), before anything else."""

    owner: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.owner = self.get_owner(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_owner(self, **kwargs: Any) -> Any:
        owner = owner_from_url(self.request.user, kwargs["ct"], kwargs["object_id"])
        if owner_school_id(owner) is None:
            raise Http404
        return owner

    def owner_url(self, anchor: str = "") -> str:
        url = getattr(self.owner, "get_absolute_url", None)
        return (url() if callable(url) else "/") + anchor

    def panel_response(self, anchor: str, **extra: Any) -> HttpResponse:
        """The attachments and timeline sections for htmx; otherwise back to the owner."""
        request = self.request
        if request.headers.get("HX-Request"):
            context = object_panel(request, self.owner, **extra)
            context["primary"] = "timeline" if anchor == "#hq-timeline" else "attachments"
            return TemplateResponse(request, "core/_object_panel.html", context)
        for error in [*extra.get("errors", []), *extra.get("comment_errors", [])]:
            messages.error(request, error)
        return HttpResponseRedirect(self.owner_url(anchor))

    #: The section this view's htmx answers replace.
    anchor = "#hq-attachments"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.panel_response(self.anchor)


@method_decorator(csrf_exempt, name="dispatch")
class AttachmentUploadView(OwnerView):
    """GET: the attachments section; POST: upload files (the owner's change permission)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # Files over the limit are skipped while they arrive, before CSRF reads the body.
        self.size_guard = SizeLimitHandler(request, max_upload_bytes())
        request.upload_handlers.insert(0, self.size_guard)

        def inner(req: HttpRequest, *a: Any, **kw: Any) -> HttpResponseBase:
            return OwnerView.dispatch(self, req, *a, **kw)

        response: HttpResponseBase = csrf_protect(inner)(request, *args, **kwargs)
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(can_upload(request.user, self.owner))
        files = request.FILES.getlist("files")  # parses the body: the guard sees every file
        limit = filesizeformat(max_upload_bytes())
        errors = [
            _("%(name)s: The file is larger than %(limit)s.") % {"name": name, "limit": limit}
            for name in self.size_guard.too_large
        ]
        if not errors:
            try:
                created = services.attachment_upload(
                    actor=request.user,
                    owner=self.owner,
                    files=files,
                    description=request.POST.get("description", ""),
                )
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                if not request.headers.get("HX-Request"):
                    messages.success(
                        request, _("Uploaded %(count)d file(s).") % {"count": len(created)}
                    )
        return self.panel_response("#hq-attachments", errors=errors)


class CommentAddView(OwnerView):
    """GET: the timeline; POST: add a comment (the owner's view permission)."""

    anchor = "#hq-timeline"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CommentForm(request.POST)
        errors: list[str] = []
        if form.is_valid():
            try:
                services.comment_add(
                    actor=request.user, owner=self.owner, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                errors = list(exc.messages)
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        body = request.POST.get("body", "") if errors else ""
        return self.panel_response("#hq-timeline", comment_errors=errors, body=body)


class ItemView(OwnerView):
    """A view of one attachment or comment: the owner is looked up through it."""

    model: type[Attachment] | type[Comment]
    item: Any

    def get_owner(self, **kwargs: Any) -> Any:
        self.item = get_object_or_404(self.model, pk=kwargs["pk"])
        return owner_of(self.request.user, self.item)


class AttachmentFileView(ItemView):
    """Streams the file (or its thumbnail) to a user who may see the owner."""

    model = Attachment
    thumbnail = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        attachment: Attachment = self.item
        field = attachment.thumbnail if self.thumbnail else attachment.file
        if not field:
            raise Http404
        try:
            handle = field.storage.open(field.name or "", "rb")
        except OSError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            content_type=attachment.mime,
            as_attachment=not attachment.is_inline,
            filename=attachment.download_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        patch_cache_control(response, private=True, max_age=3600)
        patch_vary_headers(response, ["Cookie"])
        return response


class ConfirmDeleteMixin:
    """GET shows the confirmation page (without JavaScript); POST deletes."""

    request: HttpRequest
    item: Any

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        context = {
            "object": self.item,
            "title": _("Delete %(name)s") % {"name": self.item},
            "breadcrumbs": [(_("Delete"), None)],
        }
        return TemplateResponse(request, "core/object_delete.html", context)

    def check(self) -> None:
        """Subclasses say who may delete; by default nobody."""
        raise PermissionDenied


class AttachmentDeleteView(ConfirmDeleteMixin, ItemView):
    model = Attachment

    def check(self) -> None:
        require(can_delete_attachment(self.request.user, self.item, self.owner))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        services.attachment_delete(actor=request.user, attachment=self.item, owner=self.owner)
        if not request.headers.get("HX-Request"):
            messages.success(request, _("Deleted: %(name)s") % {"name": self.item})
        return self.panel_response("#hq-attachments")


class CommentDeleteView(ConfirmDeleteMixin, ItemView):
    model = Comment

    def check(self) -> None:
        require(can_change_comment(self.request.user, self.item))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        services.comment_delete(actor=request.user, comment=self.item)
        return self.panel_response("#hq-timeline")


class CommentEditView(ItemView):
    model = Comment
    template_name = "core/comment_edit.html"

    def render(self, form: CommentForm) -> HttpResponse:
        context = {
            "form": form,
            "object": self.item,
            "title": _("Edit comment"),
            "cancel_url": self.owner_url("#hq-timeline"),
            "breadcrumbs": [(str(self.owner), self.owner_url()), (_("Edit comment"), None)],
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(can_change_comment(request.user, self.item))
        return self.render(CommentForm(initial={"body": self.item.body}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(can_change_comment(request.user, self.item))
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        services.comment_edit(actor=request.user, comment=self.item, body=form.cleaned_data["body"])
        return HttpResponseRedirect(self.owner_url(f"#comment-{self.item.pk}"))
