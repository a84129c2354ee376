"""Test settings: SQLite in memory by default, PostgreSQL when HOUQIN_DATABASE_URL names one."""

from __future__ import annotations

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import tune_sqlite

SECRET_KEY = "houqin-test-key-not-for-production"
DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("HOUQIN_DATABASE_URL", "sqlite://:memory:"))
}
tune_sqlite(DATABASES)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
AXES_ENABLED = True
HUEY = {**HUEY, "immediate": True}  # noqa: F405 - jobs run inline in tests
