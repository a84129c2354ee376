"""Notifications: the in-app centre, e-mail and school group robots (WeCom, DingTalk, Feishu).

For other apps:

* register event types from ``AppConfig.ready()`` with ``notifications.events.register``;
* call ``notifications.services.notify(recipients=…, event=…, title=…, body=…, url=…,
  obj=…, school=…, actor=…)`` inside the action's transaction, with already translated
  strings. The actor is never notified; e-mails and webhook messages leave only after the
  commit, through the job queue, with three retries; failures are kept in the delivery log.

Settings (environment): ``HOUQIN_BASE_URL`` (the site's address, for links in e-mails and
chats), ``HOUQIN_WEBHOOK_TIMEOUT`` (seconds, default 5), the ``HOUQIN_EMAIL_*`` mail server.
Jobs run in huey's consumer (``./houqin serve`` starts it, ``./houqin worker`` runs it alone)
with a SQLite queue under var/; with ``HOUQIN_REDIS_URL`` set the queue is Redis, which needs
the ``redis`` Python package installed (it is not a default dependency).
"""
