from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledModelForm

from . import events
from .models import WebhookEndpoint, WebhookKind


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes with Bootstrap's markup (Django puts the widget's class on the wrapper)."""

    template_name = "notifications/widgets/checkbox_list.html"
    option_template_name = "notifications/widgets/checkbox_option.html"


class WebhookEndpointForm(StyledModelForm):
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "DingTalk “加签” secret (starts with SEC) or Feishu signature secret. "
            "Leave empty to keep the current one."
        ),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    events = forms.MultipleChoiceField(
        label=_("events"),
        required=False,
        widget=CheckboxList,
        help_text=_("None selected: every event is sent to this robot."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["school", "kind", "name", "url", "secret", "events", "is_active"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = events.choices()
        self.fields["events"].widget.attrs["class"] = "form-check-input"
        if not (self.instance.pk and self.instance.secret):
            del self.fields["clear_secret"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("secret") and self.instance.pk and not data.get("clear_secret"):
            data["secret"] = self.instance.secret
        if data.get("clear_secret"):
            data["secret"] = ""
        if data.get("kind") == WebhookKind.WECOM and data.get("secret"):
            self.add_error(
                "secret", _("WeCom group robots do not sign messages; leave the secret empty.")
            )
        return data
