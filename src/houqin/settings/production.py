"""Production settings: everything secret or site-specific comes from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list, mailers

SECRET_KEY = os.environ.get("HOUQIN_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "HOUQIN_SECRET_KEY must be set to a random string of at least 50 characters "
        '(for example: python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
DEBUG = False
ALLOWED_HOSTS = env_list("HOUQIN_ALLOWED_HOSTS", "localhost")
SECURE_SSL_REDIRECT = env_bool("HOUQIN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("HOUQIN_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("HOUQIN_HSTS_PRELOAD", True)
MAILERS = mailers("django.core.mail.backends.smtp.EmailBackend")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOUQIN_LOG_LEVEL", "INFO")},
}
