"""Base settings: the embedded single-machine default (SQLite under var/)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("HOUQIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A per-installation key kept under var/ so the embedded default needs no set-up."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("HOUQIN_SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("HOUQIN_DEBUG")
# Behind a reverse proxy that appends the client's address to X-Forwarded-For (nginx's
# $proxy_add_x_forwarded_for), the last hop is the client: the QR repair portal limits
# submissions per client address with it. Leave off when clients reach gunicorn directly.
HOUQIN_TRUST_X_FORWARDED_FOR = env_bool("HOUQIN_TRUST_X_FORWARDED_FOR")
ALLOWED_HOSTS = env_list("HOUQIN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HOUQIN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django_filters",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "houqin.core",
    "houqin.org",
    "houqin.accounts",
    "houqin.notifications",
    "houqin.approvals",
    "houqin.finance",
    "houqin.assets",
    "houqin.inventory",
    "houqin.procurement",
    "houqin.printing",
    "houqin.maintenance",
    "houqin.api",
    "houqin.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "houqin.accounts.middleware.IdleTimeoutMiddleware",
    "houqin.core.middleware.AuditActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "houqin.urls"
WSGI_APPLICATION = "houqin.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "houqin.core.context_processors.shell",
                "houqin.notifications.context_processors.unread",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("HOUQIN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'houqin.sqlite3'}"),
        conn_max_age=int(os.environ.get("HOUQIN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


def tune_sqlite(databases: dict[str, dict[str, Any]]) -> None:
    """WAL, busy timeout, IMMEDIATE transactions and foreign keys for every SQLite database."""
    for db in databases.values():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db["CONN_MAX_AGE"] = (
                0 if db.get("NAME") in (":memory:", "") else db.get("CONN_MAX_AGE", 0)
            )
            db["CONN_HEALTH_CHECKS"] = False
            db.setdefault("OPTIONS", {}).update(
                {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                    "init_command": (
                        "PRAGMA journal_mode=WAL;"
                        "PRAGMA synchronous=NORMAL;"
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA busy_timeout=20000;"
                    ),
                }
            )


tune_sqlite(DATABASES)

# A PostgreSQL replica for the reads of report pages (houqin.core.dbrouter); writes stay on default.
if os.environ.get("HOUQIN_REPLICA_DATABASE_URL"):
    DATABASES["reports"] = dj_database_url.parse(
        os.environ["HOUQIN_REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("HOUQIN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["houqin.core.dbrouter.ReportsRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "houqin.accounts.backends.HouqinBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout: 5 failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("HOUQIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HOUQIN_LOGIN_LOCKOUT_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"

# Idle sessions end after 30 minutes without a request (see IdleTimeoutMiddleware).
HOUQIN_IDLE_TIMEOUT = int(os.environ.get("HOUQIN_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
HOUQIN_PDF_FONT_DIR = Path(os.environ.get("HOUQIN_PDF_FONT_DIR", BASE_DIR / "var" / "fonts"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("HOUQIN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Attachments in S3-compatible object storage (MinIO, Aliyun OSS, Tencent COS…) when a bucket
# is named. Files stay private: they are streamed by core:attachment_download, never linked.
if os.environ.get("HOUQIN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HOUQIN_S3_BUCKET"],
            "endpoint_url": os.environ.get("HOUQIN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("HOUQIN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("HOUQIN_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("HOUQIN_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def mailers(default_backend: str) -> dict[str, Any]:
    """E-mail from the environment; SMTP options only where the backend takes them."""
    backend = os.environ.get("HOUQIN_EMAIL_BACKEND", default_backend)
    options: dict[str, Any] = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("HOUQIN_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("HOUQIN_EMAIL_PORT", "25")),
            "username": os.environ.get("HOUQIN_EMAIL_USER", ""),
            "password": os.environ.get("HOUQIN_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("HOUQIN_EMAIL_USE_TLS"),
            "use_ssl": env_bool("HOUQIN_EMAIL_USE_SSL"),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HOUQIN_EMAIL_FROM", "houqin@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

HOUQIN_PAGE_SIZE = 50
# Links in e-mails and group-robot messages need the site's address (https://houqin.example.cn).
HOUQIN_BASE_URL = os.environ.get("HOUQIN_BASE_URL", "")
HOUQIN_WEBHOOK_TIMEOUT = float(os.environ.get("HOUQIN_WEBHOOK_TIMEOUT", "5"))
HOUQIN_EXPORT_MAX_ROWS = 100_000
# Longer exports are prepared in the background and downloaded from "My exports".
HOUQIN_EXPORT_INLINE_ROWS = int(os.environ.get("HOUQIN_EXPORT_INLINE_ROWS", "500"))
HOUQIN_EXPORT_KEEP_DAYS = int(os.environ.get("HOUQIN_EXPORT_KEEP_DAYS", "7"))
HOUQIN_EXPORT_MAX_PENDING = 3  # exports one person may have waiting at once

# REST API under /api/v1/ (houqin.api): tokens or the session, the web's scoping and filters,
# one error format. Anonymous requests get 401 (the auth classes send WWW-Authenticate).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "houqin.api.authentication.TokenAuthentication",
        "houqin.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "houqin.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "houqin.api.filters.Search",
        "houqin.api.filters.Ordering",
    ],
    "DEFAULT_METADATA_CLASS": None,
    "EXCEPTION_HANDLER": "houqin.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Houqin API",
    "DESCRIPTION": "School logistics (后勤) REST API. Authenticate with "
    "`Authorization: Token <token>` (POST /api/v1/auth/token/) or the browser session.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApprovalStatusEnum": "houqin.approvals.models.RequestStatus",
        "ApprovalStepStatusEnum": "houqin.approvals.models.StepStatus",
        "DamageStatusEnum": "houqin.assets.choices.DamageStatus",
        "AssetStatusEnum": "houqin.assets.choices.AssetStatus",
        "StocktakeStatusEnum": "houqin.assets.choices.StocktakeStatus",
        "CountResultEnum": "houqin.assets.choices.CountResult",
        "WorkOrderStatusEnum": "houqin.maintenance.choices.OrderStatus",
        "HoldReasonEnum": "houqin.maintenance.choices.HoldReason",
        "PurchaseRequestStatusEnum": "houqin.procurement.choices.RequestStatus",
        "PurchaseLineStatusEnum": "houqin.procurement.choices.LineStatus",
        "PurchaseOrderStatusEnum": "houqin.procurement.choices.OrderStatus",
        "AcceptanceStatusEnum": "houqin.procurement.choices.AcceptanceStatus",
        "AcceptanceResultEnum": "houqin.procurement.choices.AcceptanceResult",
        "AssetIntakeStatusEnum": "houqin.procurement.choices.IntakeStatus",
        "RequisitionStatusEnum": "houqin.inventory.choices.RequisitionStatus",
        "StockCountStatusEnum": "houqin.inventory.choices.CountStatus",
        "PrintJobStatusEnum": "houqin.printing.models.PrintStatus",
        "BudgetAdjustmentStatusEnum": "houqin.finance.models.BudgetAdjustmentStatus",
        "ExpenseCategoryEnum": "houqin.finance.models.ExpenseCategory",
        "StockItemCategoryEnum": "houqin.inventory.choices.ItemCategory",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "houqin.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOUQIN_LOG_LEVEL", "WARNING")},
    # The job consumer says once what it runs (without this, run_huey adds a second handler).
    "loggers": {"huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
FORMAT_MODULE_PATH = ["houqin.formats"]
FILTERS_EMPTY_CHOICE_LABEL = _("All")
FILTERS_NULL_CHOICE_LABEL = _("None")

# Redis, when configured, also holds the cache shared by every app server, and sessions are
# cached there (written through to the database, so a Redis restart signs nobody out).
if os.environ.get("HOUQIN_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["HOUQIN_REDIS_URL"],
            "KEY_PREFIX": "houqin",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background jobs: SQLite-backed huey by default (no extra service), Redis when configured.
if os.environ.get("HOUQIN_REDIS_URL"):
    HUEY: dict[str, Any] = {
        "huey_class": "huey.RedisHuey",
        "name": "houqin",
        "url": os.environ["HOUQIN_REDIS_URL"],
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "houqin",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY.update(
    {
        "immediate": env_bool("HOUQIN_JOBS_IMMEDIATE"),
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    }
)

HOUQIN_UPLOAD_MAX_BYTES = int(os.environ.get("HOUQIN_UPLOAD_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HOUQIN_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("HOUQIN_AUDIT_RETENTION_DAYS", "365")))
