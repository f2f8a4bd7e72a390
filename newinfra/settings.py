"""Django settings, all from the environment.

DATABASE_URL      default sqlite:///var/newinfra.sqlite3 (PostgreSQL: postgres://user:pw@host/db)
SECRET_KEY        default: generated once into var/secret_key
DEBUG             "1" to turn debugging on (off by default)
ALLOWED_HOSTS     comma-separated; default 127.0.0.1,localhost
NEWINFRA_VAR      where the SQLite file, the secret key and uploads live; default ./var
EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, DEFAULT_FROM_EMAIL   reminders by e-mail (default: printed)
NEWINFRA_BASE_URL the address users open the platform at, for links in e-mails
NEWINFRA_NOTICE_WEBHOOK  a 政务微信/钉钉/粤政易 group robot URL that gets every notice's text
NEWINFRA_OFFICE_NAME  the issuing office in the 落款 of evaluation reports
NEWINFRA_TOKEN_DAYS           API tokens expire after this many days (default 30)
NEWINFRA_SIGNIN_USER_LIMIT    failed sign-ins of one user name before it is locked (default 5)
NEWINFRA_SIGNIN_ADDRESS_LIMIT failed sign-ins from one address before it is locked (default 20)
NEWINFRA_TRUSTED_PROXIES      comma-separated addresses of the reverse proxies (nginx) whose
                              X-Forwarded-For names the real client (default: none)
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWINFRA_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DEBUG", "") in ("1", "true", "True", "yes")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "newinfra.orgs",
    "newinfra.plans",
    "newinfra.projects",
    "newinfra.geo",
    "newinfra.indicators",
    "newinfra.supervision",
    "newinfra.evaluation",
    "newinfra.utilities",
    "newinfra.web",
    "newinfra.api",
    "newinfra.security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newinfra.orgs.middleware.AreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "newinfra.utilities.script.ScriptMiddleware",
    "newinfra.supervision.middleware.NoticeReadMiddleware",
    "newinfra.security.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "newinfra.urls"
WSGI_APPLICATION = "newinfra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newinfra.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newinfra.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; a 64 MB page cache and memory-mapped reads
    # keep the project library's statistics fast at 100,000 projects.
    # Write transactions begin IMMEDIATE: a transaction that reads first and then writes would
    # otherwise fail with "database is locked" at once when another process writes meanwhile
    # (SQLite cannot wait to upgrade a read lock); with IMMEDIATE it waits up to ``timeout`` seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command=(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
            "PRAGMA mmap_size=268435456;"
        ),
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in protection (newinfra/security/signin.py): failures per user name and per address lock
# for a growing time; API tokens expire after NEWINFRA_TOKEN_DAYS.
AUTHENTICATION_BACKENDS = ["newinfra.security.signin.ThrottledModelBackend"]
NEWINFRA_SIGNIN_USER_LIMIT = int(os.environ.get("NEWINFRA_SIGNIN_USER_LIMIT", "5"))
NEWINFRA_SIGNIN_ADDRESS_LIMIT = int(os.environ.get("NEWINFRA_SIGNIN_ADDRESS_LIMIT", "20"))
NEWINFRA_TOKEN_DAYS = int(os.environ.get("NEWINFRA_TOKEN_DAYS", "30"))
NEWINFRA_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("NEWINFRA_TRUSTED_PROXIES", "").split(",") if a.strip()
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["newinfra.formats"]  # 64,800.00 in tables, not 64800.00
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TESTING = "pytest" in sys.modules or bool(os.environ.get("NEWINFRA_TESTING"))
if DEBUG or TESTING:
    # No collectstatic needed: files are served from the apps' static folders.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "media"
if TESTING:
    # Tests sign in thousands of times; PBKDF2's deliberate slowness would be most of the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newinfra@localhost")
# Links in e-mails point here (the address users open the platform at).
NEWINFRA_BASE_URL = os.environ.get("NEWINFRA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A group robot (政务微信 / 钉钉 / 粤政易 webhook URL) that receives the text of every notice.
NEWINFRA_NOTICE_WEBHOOK = os.environ.get("NEWINFRA_NOTICE_WEBHOOK", "")
# The 落款 (issuing office) of the evaluation reports.
NEWINFRA_OFFICE_NAME = os.environ.get("NEWINFRA_OFFICE_NAME", "广州市新型基础设施建设统筹办公室")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "newinfra.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "newinfra.orgs.permissions.AreaPermission",
        "newinfra.api.permissions.RoleWritePermission",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "newinfra API",
    "DESCRIPTION": "新基建规划实施与项目管理平台 REST API",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and os.environ.get("NEWINFRA_HTTPS", "") == "1":
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
