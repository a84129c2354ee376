"""Forms of printing: the job request (phone-first), the print room's "done" and the
school's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.core.uploads import DOC, DOCX, PDF, read_limited, sniff

from .models import PrintJob, PrintSettings

#: What the print room prints from: PDF, Word and images (checked by their content).
PRINTABLE_MIMES = {PDF.mime, DOC.mime, DOCX.mime}
ACCEPT = "application/pdf,.pdf,.doc,.docx,image/*"


def check_printable(upload: Any) -> None:
    """Refuse anything but PDF, Word or an image, judged by the bytes (not the name); the
    attachment service checks the size and re-encodes images when it stores the file."""
    data = read_limited(upload)
    kind = sniff(data, str(getattr(upload, "name", "") or ""))
    if not (kind.is_image or kind.mime in PRINTABLE_MIMES):
        raise ValidationError(_("Upload a PDF, a Word document or an image to print."))
    upload.seek(0)


class PrintJobForm(StyledModelForm):
    file = forms.FileField(
        label=gettext_lazy("File to print"),
        required=False,
        help_text=gettext_lazy("PDF, Word or a photo. Or describe the original below."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = PrintJob
        fields = [
            "department",
            "title",
            "purpose",
            "file",
            "description",
            "pages",
            "copies",
            "duplex",
            "paper_size",
            "colour",
            "needed_by",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "needed_by": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "pages": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "copies": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }
        help_texts = {
            "description": gettext_lazy(
                "What to print when there is no file, e.g. “the original is in the "
                "print room's tray”; any instructions for the print room."
            ),
        }

    def __init__(self, *args: Any, has_files: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_files = has_files
        self.fields["needed_by"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_printable(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("file") or self.has_files or (data.get("description") or "").strip()):
            self.add_error(
                "description", _("Upload the file to print, or describe the original here.")
            )
        return data


class DoneForm(StyledFormMixin, forms.Form):
    """The print room's sheets: what was used (the estimate by default) and what was spoiled."""

    sheets_used = forms.IntegerField(
        label=gettext_lazy("Sheets used"),
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    spoiled_sheets = forms.IntegerField(
        label=gettext_lazy("Spoiled sheets"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PrintSettingsForm(StyledModelForm):
    class Meta:
        model = PrintSettings
        fields = ["approval_rule", "approval_sheets", "colour_needs_approval", "sheet_cost"]
