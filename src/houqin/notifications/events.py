"""The event types users can be notified of, registered by each app at start-up.

An app registers its events from its ``AppConfig.ready()``::

    from houqin.notifications import events

    events.register("approval.pending", _("A request waits for your approval"))

``default_channels`` are the channels a user gets until they change their preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

#: Channels a person can choose per event type (webhooks are configured per school).
CHANNELS: tuple[tuple[str, Any], ...] = (("in_app", _("In the app")), ("email", _("E-mail")))
CHANNEL_CODES = tuple(code for code, _label in CHANNELS)


@dataclass(frozen=True)
class Event:
    code: str
    label: Any
    description: Any = ""
    default_channels: tuple[str, ...] = ("in_app", "email")
    #: False for events nobody receives personally (they are not offered in the settings).
    choosable: bool = True

    def default_for(self, channel: str) -> bool:
        return channel in self.default_channels


#: code -> Event, in registration order.
EVENTS: dict[str, Event] = {}


def register(
    code: str,
    label: Any,
    description: Any = "",
    default_channels: tuple[str, ...] | list[str] = ("in_app", "email"),
    *,
    choosable: bool = True,
) -> Event:
    """Register (or re-register, idempotently) an event type."""
    unknown = set(default_channels) - set(CHANNEL_CODES)
    if unknown:
        raise ValueError(f"unknown notification channels for {code}: {sorted(unknown)}")
    event = Event(code, label, description, tuple(default_channels), choosable)
    EVENTS[code] = event
    return event


def get(code: str) -> Event:
    """The registered event, or a stand-in with the default channels for an unknown code."""
    return EVENTS.get(code) or Event(code, code)


def choices() -> list[tuple[str, str]]:
    return [(code, str(event.label)) for code, event in EVENTS.items()]


SYSTEM_TEST = "system.test"

register(
    SYSTEM_TEST,
    _("Test message"),
    _("Sent by the “send a test message” button of a webhook endpoint."),
    default_channels=("in_app",),
    choosable=False,
)
