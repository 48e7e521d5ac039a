"""Waymark settings, read from environment variables.

Development (the default): SQLite file beside manage.py, a fixed insecure key, DEBUG only when
DJANGO_DEBUG=1. Production (DJANGO_ENV=production): SECRET_KEY and ALLOWED_HOSTS must come from
the environment and the security settings that `manage.py check --deploy` looks for are on.
"""

from __future__ import annotations

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

# How many proxies of ours stand in front of the app (a TLS-terminating nginx: 1). Their
# X-Forwarded-For and X-Forwarded-Proto are believed only when there are some: with 0, a client
# could claim any address (and so get more password guesses) or claim HTTPS.
try:
    WAYMARK_TRUSTED_PROXIES = int(os.environ.get("WAYMARK_TRUSTED_PROXIES", "0"))
except ValueError:
    WAYMARK_TRUSTED_PROXIES = -1
if WAYMARK_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("WAYMARK_TRUSTED_PROXIES must be a whole number, 0 or more.")

DEBUG = env_bool("DJANGO_DEBUG", default=False)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (50+ characters) in production.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "django-insecure-waymark-development-only-key-do-not-use-in-production"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")


def audit_key() -> bytes:
    """The key that seals the audit ledger (audit/ledger.py), held outside the database: from
    WAYMARK_AUDIT_KEY_FILE (a file readable by Waymark only) or WAYMARK_AUDIT_KEY. Required in
    production; development and tests use a fixed key."""
    path = os.environ.get("WAYMARK_AUDIT_KEY_FILE", "")
    try:
        key = Path(path).read_text().strip() if path else os.environ.get("WAYMARK_AUDIT_KEY", "")
    except OSError as error:
        raise ImproperlyConfigured(f"WAYMARK_AUDIT_KEY_FILE cannot be read: {error}") from None
    if PRODUCTION and len(key) < 32:
        raise ImproperlyConfigured(
            "WAYMARK_AUDIT_KEY (or WAYMARK_AUDIT_KEY_FILE) must be set (32+ characters) in "
            "production: it seals the audit ledger."
        )
    return (key or "waymark-development-audit-key-not-for-production").encode()


AUDIT_KEY = audit_key()
# Where `manage.py audit_checkpoint` writes the ledger's signed head (keep it off the database
# server), and an address that receives each checkpoint too.
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("WAYMARK_AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "audit-checkpoints"))
)
AUDIT_CHECKPOINT_EMAIL = os.environ.get("WAYMARK_AUDIT_CHECKPOINT_EMAIL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # Background work (reminder emails): Django's task API, queued in the database and run by
    # `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Ours, in their direction of dependency: each may use only those above it. `portal` is the
    # one app that shows the domain apps together (docs/decisions/0014).
    "accounts",
    # The audit ledger and backups: below everything, they import nothing of ours.
    "audit",
    "backups",
    "strategies",
    "governance",
    "consultation",
    "delivery",
    # Files kept with the record: attached to strategies, gates, decisions, consultations and
    # meetings (it links to consultation windows by its model, and imports no app above
    # governance).
    "documents",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # `Cache-Control: private, no-store` on answers to the signed-in, the admin and personal
    # feeds; after WhiteNoise, so that static files stay cacheable.
    "config.middleware.PrivateAnswersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Puts the signed-in user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.MethodNotAllowedPageMiddleware",
    "config.middleware.UnstorableQueryMiddleware",
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE, files included, is refused before it is read.
    "config.middleware.RequestSizeMiddleware",
    # Text areas' line breaks arrive as CRLF; they are kept as LF.
    "config.middleware.LineEndingsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: refuses sign-in while an account is locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections pay off under gunicorn; in development and tests they only
        # linger past the end of a test run.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        # A kept connection is tested before each request first uses it, and replaced if the
        # database dropped it (a restart): the app recovers by itself. While the database is
        # down, requests get the 503 page (portal.views.server_error), never a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write together; and
    # take the write lock when a transaction begins, so that two requests (a double click on
    # "Record the decision") queue instead of one failing with "database is locked" when
    # both try to turn a read lock into a write lock.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory: the browser tests' live server then has connections of its
    # own instead of sharing one across threads. One file per test run (its process id), so that
    # two runs at once never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
elif (parallel := os.environ.get("WAYMARK_PG_PARALLEL_WORKERS", "0")) != "server":
    # PostgreSQL plans no parallel workers for the site's queries unless told otherwise: every
    # page reads a few rows, and a planner that overestimates them (the history page's union of
    # history tables at 5,000 strategies) starts workers that cost more than the query, about
    # 10 ms a page (docs/decisions/0036). "server" keeps the database's own setting (behind
    # PgBouncer, which refuses the `options` startup parameter, set it there instead).
    if not parallel.isdigit():
        raise ImproperlyConfigured("WAYMARK_PG_PARALLEL_WORKERS must be a number or 'server'.")
    _db = DATABASES["default"].setdefault("OPTIONS", {})
    _parallel = f"-c max_parallel_workers_per_gather={parallel}"
    _db["options"] = f"{_db.get('options', '')} {_parallel}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "strategies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks out (django-axes) before the ordinary check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",  # Django's, loading the organisation with the user
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("WAYMARK_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
# Uploaded files (documents): outside the database, under MEDIA_ROOT, and copied into every
# backup by `manage.py backup` (docs/decisions/0015).
MEDIA_ROOT = Path(os.environ.get("WAYMARK_MEDIA_ROOT", "") or BASE_DIR / "media")
MEDIA_URL = "media/"


def document_storage(env) -> dict:
    """Where documents' files are kept (README "Documents"): WAYMARK_DOCUMENT_STORAGE is
    "files" (a folder under MEDIA_ROOT, the default), "s3" (Amazon S3 or any S3-compatible
    store) or "azure" (Azure Blob Storage), through django-storages. Files are private in every
    one: Waymark serves them itself, to those who may read them."""
    kind = env.get("WAYMARK_DOCUMENT_STORAGE", "files")
    if kind == "s3":
        options = {
            "bucket_name": env.get("WAYMARK_S3_BUCKET", ""),
            "endpoint_url": env.get("WAYMARK_S3_ENDPOINT_URL") or None,
            "region_name": env.get("WAYMARK_S3_REGION") or None,
            "access_key": env.get("WAYMARK_S3_ACCESS_KEY_ID") or None,
            "secret_key": env.get("WAYMARK_S3_SECRET_ACCESS_KEY") or None,
            # No object ACL: objects are private by default, and buckets with ACLs disabled
            # (the AWS default since 2023) refuse any other ACL than none.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    if kind == "azure":
        options = {
            "azure_container": env.get("WAYMARK_AZURE_CONTAINER", "documents"),
            "connection_string": env.get("WAYMARK_AZURE_CONNECTION_STRING") or None,
            "account_name": env.get("WAYMARK_AZURE_ACCOUNT_NAME") or None,
            "account_key": env.get("WAYMARK_AZURE_ACCOUNT_KEY") or None,
            "overwrite_files": False,
        }
        return {"BACKEND": "storages.backends.azure_storage.AzureStorage", "OPTIONS": options}
    if kind != "files":
        raise ImproperlyConfigured(
            f"WAYMARK_DOCUMENT_STORAGE is {kind!r}: give files, s3 or azure."
        )
    # No location: the storage follows MEDIA_ROOT (and the tests' own folder).
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents' files (documents/models.py): under MEDIA_ROOT by default, served only through
    # a view that checks who may read them; S3-compatible or Azure storage by the environment.
    "documents": document_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve files straight from the finders when collectstatic has not run (development, tests).
WHITENOISE_USE_FINDERS = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# History is evidence: the admin may show it but never revert to it.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Sign-in protection (config/security.py has the details the tests check).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("WAYMARK_SESSION_HOURS", "8")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
# Argon2id (decision 0039); a PBKDF2 password still signs in and is stored again with Argon2.
PASSWORD_HASHERS = [
    f"django.contrib.auth.hashers.{name}PasswordHasher"
    for name in ("Argon2", "PBKDF2", "PBKDF2SHA1", "Scrypt")
]
AXES_FAILURE_LIMIT = int(os.environ.get("WAYMARK_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("WAYMARK_SIGNIN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, for the lockout and the consultation rate limit alike: one function
# decides it (config/security.py), trusting X-Forwarded-For only as far as the proxies in front.
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_VERBOSE = False
# Kept out of the POST data axes records with a failed attempt (as the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# Bad requests get pages that say what happened: a failed CSRF check (403), requests over 2.5 MB
# or 1,000 fields (400; Django's limits, kept). Django counts only form fields against the size;
# config.middleware.RequestSizeMiddleware holds the whole body, files included, to it.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest document Waymark keeps (documents/files.py), in bytes: 25 MB unless set.
DOCUMENT_MAX_BYTES = int(os.environ.get("WAYMARK_DOCUMENT_MAX_MB", "25")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Headers. The Content Security Policy allows scripts, styles, images and fonts from Waymark
# only: no inline script or style (templates are checked by a test), nothing else, no framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if WAYMARK_TRUSTED_PROXIES:
    # The proxy in front says whether the client came over HTTPS. Without one declared, HTTPS
    # is the connection's own (gunicorn serving TLS itself); behind a TLS proxy left undeclared,
    # every request looks like plain HTTP and SECURE_SSL_REDIRECT sends it round in a loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Days a response keeps its free text and organisation name (then `anonymise_responses` runs).
RESPONSE_RETENTION_DAYS = int(os.environ.get("WAYMARK_RESPONSE_RETENTION_DAYS", "730"))

# Responses one address may send to one consultation in ten minutes (0: no limit).
CONSULTATION_RATE_LIMIT = int(os.environ.get("WAYMARK_CONSULTATION_RATE_LIMIT", "10"))

# Requests one API token may make in API_RATE_WINDOW seconds (0: no limit), counted in the
# cache below like the consultation limit (portal/api/auth.py).
API_RATE_LIMIT = int(os.environ.get("WAYMARK_API_RATE_LIMIT", "120"))
API_RATE_WINDOW = 60

# The cache (consultation/rate_limit.py counts there): each process's own memory, or the Redis
# server WAYMARK_CACHE_URL names (redis://host:6379/1), shared by every worker and server.
CACHE_URL = os.environ.get("WAYMARK_CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "WAYMARK_CACHE_URL must be a Redis address (redis://, rediss:// or unix://)."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "waymark",
            # A Redis server that has gone away costs a request two seconds at most.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: queued in the database, run by `manage.py db_worker` (README, "Reminders").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Modern.gov (governance/moderngov/): how long one call to a council's web service may take.
MODERNGOV_TIMEOUT = float(os.environ.get("WAYMARK_MODERNGOV_TIMEOUT", "20"))

# Email (reminders). Development prints messages on the console of `manage.py db_worker`;
# production sends through SMTP unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Waymark <waymark@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write about Waymark (the footer of every page, the accessibility statement's
# feedback section): the address DEFAULT_FROM_EMAIL sends from unless one is given.
WAYMARK_CONTACT_EMAIL = (
    os.environ.get("WAYMARK_CONTACT_EMAIL", "") or parseaddr(DEFAULT_FROM_EMAIL)[1]
)
# Where links in emails point: the address people use to reach Waymark, without a final slash.
WAYMARK_BASE_URL = os.environ.get("WAYMARK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Open data (/open-data/, portal/opendata/): the licence its datasets are published under and
# who publishes them. A licence named without its address is refused: reusers need its terms.
OGL_3 = "Open Government Licence v3.0"
OPEN_DATA_LICENCE_NAME = os.environ.get("WAYMARK_OPEN_DATA_LICENCE", "") or OGL_3
OPEN_DATA_LICENCE_URL = os.environ.get("WAYMARK_OPEN_DATA_LICENCE_URL", "") or (
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    if OPEN_DATA_LICENCE_NAME == OGL_3
    else ""
)
if not OPEN_DATA_LICENCE_URL:
    raise ImproperlyConfigured(
        "WAYMARK_OPEN_DATA_LICENCE_URL must give the address of the licence "
        "WAYMARK_OPEN_DATA_LICENCE names."
    )
OPEN_DATA_PUBLISHER = os.environ.get("WAYMARK_OPEN_DATA_PUBLISHER", "") or "Waymark"

# Demo sign-ins: `manage.py load_demo` gives every demo user this password and prints it.
DEMO_PASSWORD = os.environ.get("WAYMARK_DEMO_PASSWORD", "waymark-demo")
