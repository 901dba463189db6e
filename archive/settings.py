"""Settings for the news-archive CMS.

Every deployment switch comes from the environment, with defaults that are safe
for a developer's machine. Each is documented in docs/configuration.md.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from archive.cache import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name, default):
    """A rate like "30/m" or "5/10s" (per second, minute, hour or day); "" or "0" turns the limit off."""
    value = os.environ.get(name, default).strip()
    if value in ("", "0"):
        return ""
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
        raise ValueError(f'{name} must look like "30/m" (a number, "/", then s, m, h or d), not {value!r}')
    return value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "articles.dashboard.apps.ArchiveAdminConfig",  # Django's admin, with the archive's dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_ratelimit",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The search limit for requests that do not come through archive.wsgi (which refuses before
    # Django runs, see articles/web/throttling.py): early, so a refusal costs little.
    "articles.web.throttling.SearchLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "articles.reading.languages.LocaleMiddleware",  # Django's, with our Accept-Language rules
    "articles.reading.choice.ReadingScriptMiddleware",  # after the language, which sets its default
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.replicas.ReplicaReadsMiddleware",  # after the user: a reader who is not signed in reads the replica
    "articles.web.privacy.PrivateForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "archive.malformed.RejectNulMiddleware",  # after CSP's: its 400 still gets the headers above
    "articles.web.redirects.StoredRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
# Curators sign in at the admin. After signing in with an unsafe or missing ?next=, the admin's
# index, not Django's default /accounts/profile/ (a 404 here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.web.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

# DATABASE_URL selects the database: SQLite by default, PostgreSQL to scale out,
# e.g. postgres://user:password@127.0.0.1:5432/archive
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while the importer writes; IMMEDIATE takes the
        # write lock up front so concurrent writers wait instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# --- Read replica (issue 14) --------------------------------------------------------------------
# DATABASE_REPLICA_URL: a read-only copy of DATABASE_URL (e.g. a PostgreSQL streaming replica) that
# anonymous readers' pages read from; writes, staff, the admin and the importer use the primary.
# A replica that cannot be reached is skipped (see archive/replicas.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # Tests read the test database through this second connection instead of creating one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # libpq waits forever for a host that drops packets; 2 s is its shortest timeout.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for one username,
# or from one address, within LOGIN_LOCKOUT_MINUTES, that username or address is locked out until
# that long passes without another attempt. `manage.py axes_reset`, `axes_reset_username NAME` and
# `axes_reset_ip ADDRESS` unlock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_ENABLED = LOGIN_FAILURE_LIMIT > 0
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per username, and per address
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "articles.web.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "articles.admin.lockout.lockout"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reader's language switch keeps its choice for a year; no script reads the cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Singapore")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic puts the files the web server (nginx) serves at /static/.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# STATIC_MANIFEST=1 (after collectstatic) serves compressed files with hashed,
# forever-cacheable names; the default needs no build step.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
# Archived images (articles/assets/) are stored by content under MEDIA_ROOT and served by the
# app at MEDIA_URL, or kept in an S3-compatible bucket (MEDIA_STORAGE=s3, see docs/deployment.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
# Archived files never change under a name (the name is their SHA-256): cached for a year.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
if MEDIA_STORAGE == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": True,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
elif MEDIA_STORAGE == "filesystem":
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# The public site.
SITE_NAME = os.environ.get("SITE_NAME", "")  # empty: "News archive" in the reader's language
# List counts may lag by this many seconds: lists never COUNT(*) the archive on every request.
ARCHIVE_COUNT_CACHE_SECONDS = int(os.environ.get("ARCHIVE_COUNT_CACHE_SECONDS", "60"))
# The tags index and the date archive's counts.
ARCHIVE_INDEX_CACHE_SECONDS = int(os.environ.get("ARCHIVE_INDEX_CACHE_SECONDS", "600"))
# Anonymous readers share whole rendered pages for this many seconds (0 turns it off).
ARCHIVE_PAGE_CACHE_SECONDS = int(os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "30"))
ARCHIVE_RELATED_CACHE_SECONDS = int(os.environ.get("ARCHIVE_RELATED_CACHE_SECONDS", "3600"))
# Adds /_bench/ping, the trivial view bench/site_bench.py compares the pages with.
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)

# --- Shared cache (issue 14) ---------------------------------------------------------------
# CACHE_URL: empty for per-process local memory; redis://host:6379/0 (or rediss:// for TLS) for a
# Redis that every worker and server shares, so pages, counts and cards are rendered once for all.
# While that Redis cannot be reached, pages render uncached (see archive/cache.py).
CACHES = {"default": cache_settings(os.environ.get("CACHE_URL", "").strip())}

# Searches (the search page and the API's q) per client address: SEARCH_RATE_LIMIT like "30/m";
# past it, 429 with Retry-After. 5 in 10 seconds is plenty for a reader (up to 30 a minute) and
# keeps a flood's bursts short: allowed 30 a minute in one burst, a flood of common words held
# both gunicorn workers for seconds each minute (bench/flood_bench.py). Counted in the default
# cache: per process without CACHE_URL (so each gunicorn worker allows a client that many), shared
# with it.
SEARCH_RATE_LIMIT = env_rate("SEARCH_RATE_LIMIT", "5/10s")
RATELIMIT_IP_META_KEY = "articles.web.client_ip.client_ip"
RATELIMIT_FAIL_OPEN = True  # while the cache cannot be reached, searches go unlimited, not refused
# django-ratelimit wants a cache shared by every process; local memory (no CACHE_URL) counts per
# process, which is intended, and ResilientRedisCache is Django's RedisCache.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# The address rate limits and sign-in lockouts count: the peer's (REMOTE_ADDR) unless a proxy in
# front sets CLIENT_IP_HEADER (e.g. X-Forwarded-For); TRUSTED_PROXY_COUNT proxies append to it.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
TRUSTED_PROXY_COUNT = max(1, int(os.environ.get("TRUSTED_PROXY_COUNT", "1")))

# Security headers. The CSP allows no inline script or style; remote images
# (imported articles hotlink their figures) load over http(s).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS (HTTPS=1), browsers are told to keep using it for a year.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if env_bool("HTTPS", False) else "0"))
# Opt-ins that are hard to take back (docs/deployment.md): HSTS for every subdomain too, and
# consent to the browsers' preload list. SECURE_SSL_REDIRECT: Django itself redirects plain HTTP
# (behind nginx, gunicorn trusts its X-Forwarded-Proto, so HTTPS requests are not redirected again).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:", "http:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Archiving remote images (manage.py archive_assets). Requests go only to public addresses
# unless ARCHIVE_ASSETS_ALLOW_PRIVATE=1 (tests, intranet archives) or the address is in one of
# ARCHIVE_ASSETS_ALLOW_NETWORKS (e.g. "10.1.2.0/24", an intranet image server).
ARCHIVE_ASSET_MAX_BYTES = int(os.environ.get("ARCHIVE_ASSET_MAX_BYTES", str(20 * 1024 * 1024)))
ARCHIVE_ASSET_MAX_PIXELS = int(os.environ.get("ARCHIVE_ASSET_MAX_PIXELS", str(50_000_000)))
ARCHIVE_ASSET_CONNECT_TIMEOUT = float(os.environ.get("ARCHIVE_ASSET_CONNECT_TIMEOUT", "5"))
ARCHIVE_ASSET_TIMEOUT = float(os.environ.get("ARCHIVE_ASSET_TIMEOUT", "20"))
ARCHIVE_ASSETS_ALLOW_PRIVATE = env_bool("ARCHIVE_ASSETS_ALLOW_PRIVATE", False)
ARCHIVE_ASSETS_ALLOW_NETWORKS = env_list("ARCHIVE_ASSETS_ALLOW_NETWORKS")
ARCHIVE_ASSETS_USER_AGENT = os.environ.get(
    "ARCHIVE_ASSETS_USER_AGENT",
    "NewsArchiveBot/1.0 (keeps copies of the images of archived news articles; at most 2 requests at a time per host)",
)
# The admin's "archive images now" runs in the background worker, for at most this many seconds
# per click (the worker also runs admin imports); what is left waits for the next run.
ARCHIVE_ASSETS_ADMIN_SECONDS = float(os.environ.get("ARCHIVE_ASSETS_ADMIN_SECONDS", "300"))

# Importer limits.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(5 * 1024 * 1024)))
# The admin's import page: uncompressed bytes and files of one upload (a .zip's members count).
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
IMPORT_UPLOAD_MAX_FILES = int(os.environ.get("IMPORT_UPLOAD_MAX_FILES", "20000"))
# Placeholders and boilerplate dropped from imported bodies: a CSS selector list, where
# ":--placeholders" stands for the built-in ad and paywall rules (articles/importer/strip.py).
IMPORT_STRIP_SELECTORS = os.environ.get("IMPORT_STRIP_SELECTORS", ":--placeholders")
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_UPLOAD_MAX_FILES
# Where uploads wait for the import worker: a folder both the web server and the worker can write
# (not a private /tmp). Each upload's folder is removed when its import ends.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", BASE_DIR / "uploads"))

# Sources (issue 22): git repositories synced commit by commit (articles/sources/). Their bare
# clones live under SOURCES_DIR; a git command on the network (fetch) is stopped after
# SOURCES_GIT_TIMEOUT seconds. The push hook takes SOURCES_HOOK_RATE_LIMIT requests per client
# address and source.
SOURCES_DIR = Path(os.environ.get("SOURCES_DIR", BASE_DIR / "sources"))
SOURCES_GIT_TIMEOUT = float(os.environ.get("SOURCES_GIT_TIMEOUT", "600"))
SOURCES_HOOK_RATE_LIMIT = env_rate("SOURCES_HOOK_RATE_LIMIT", "30/m")

# Background tasks (admin uploads) are stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A search flood would write one "Too Many Requests" line per refused request.
    "filters": {
        "not_throttled": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: getattr(record, "status_code", None) != 429,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},  # stderr
    "loggers": {
        "django.request": {"filters": ["not_throttled"]},
        # Each unexpected error of an import or export, with its traceback (the report keeps one
        # line per file), and each worker process that died; at ERROR, so the console shows them.
        "articles.importer": {"level": LOG_LEVEL},
        "articles.export": {"level": LOG_LEVEL},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
