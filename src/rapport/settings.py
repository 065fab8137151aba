"""Settings, chosen by environment variables alone (see README "Configuration")."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("RAPPORT_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/.

    Keeping it on disk means sessions and signed links survive a restart of a
    one-box install without anyone having to invent a key.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth: its `createsuperuser` makes an admin of the product.
    "rapport.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    "rapport.core",
    "rapport.directory",
    "rapport.agreements",
    "rapport.tickets",
    "rapport.notifications",
    "rapport.sla",
    "rapport.mail",
    "rapport.api",
    "rapport.desk",
    "rapport.portal",
    "rapport.chain",
    "rapport.surveys",
    "rapport.scorecards",
    "rapport.demo",
    "rapport.policies",
    "rapport.people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rapport.core.middleware.ProblemDetailsMiddleware",
    # One snapshot of the reference data per request (rapport.core.fast.reference).
    "rapport.core.fast.reference.ReferenceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rapport.accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# `make bench-http` adds its floor page (bench/http_urls.py) to the same site.
ROOT_URLCONF = os.environ.get("RAPPORT_URLCONF", "rapport.urls")
WSGI_APPLICATION = "rapport.wsgi.application"

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
                # The bell's unread count: one query, only on pages that draw the bell.
                "rapport.notifications.context_processors.bell",
                # The main navigation's areas: built only on pages that draw it.
                "rapport.desk.shell.navigation",
            ],
        },
    },
    # The desk's hot fragments (thread, history, queue rows): rapport.desk.jinja.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "rapport.desk.jinja.environment",
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

# SQLite (WAL) under var/ unless DATABASE_URL names another database.
SQLITE_PATH = DATA_DIR / "rapport.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE
        # takes the write lock at BEGIN so concurrent writers queue on
        # busy_timeout instead of failing with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
            # A 16 MiB page cache (the default is 2 MiB) and temporary sorts in memory.
            # Per connection and kept full once warm: 64 MiB took a web process past
            # its 150 MiB budget. The SLA sweeper raises its own connection's cache.
            "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY; "
            # After a checkpoint the WAL file shrinks back to this, so a catch-up
            # burst does not leave every later checkpoint walking a huge file.
            "PRAGMA journal_size_limit=67108864;"
        ),
        "transaction_mode": "IMMEDIATE",
        # SQLite's busy handler polls every 100 ms and grants the lock to whoever asks
        # at the right moment, not in order: under a worker's catch-up burst and eight
        # web threads writing, 2 creates in 6,348 waited past 10 s and failed
        # (tests/test_worker_kill.py). A longer wait costs those few a slow answer
        # instead of an error; gunicorn's own timeout (30 s) stays above it.
        "timeout": 20,
    }
    # Django's backend with background work yielding the write lock (see its module).
    DATABASES["default"]["ENGINE"] = "rapport.core.sqlite"
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets PostgreSQL keep the plans of statements a connection
    # repeats; planning the joined ticket reads otherwise costs more than running them.
    # Set RAPPORT_PG_PREPARE=0 behind a pooler that cannot keep prepared statements.
    prepare = int(os.environ.get("RAPPORT_PG_PREPARE", "5"))
    if prepare > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": prepare}
        )
    # Django's native pool (psycopg_pool), off by default: with CONN_MAX_AGE each web
    # thread already keeps its connection and that connection's prepared statements,
    # which measured as fast (docs/deploy.md). A pool of N caps a process's
    # connections below its thread count, for a server short of connections.
    pool = int(os.environ.get("RAPPORT_PG_POOL", "0"))
    if pool > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": pool, "timeout": 10,
        }  # fmt: skip
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.Person"
PASSWORD_HASHERS = [
    "rapport.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"  # the landing page sends staff to the desk, others to the portal
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("RAPPORT_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Front-end packages (htmx) come from npm (`npm ci` in make install), are served as
# static files under vendor/, and are never fetched from a CDN.
NODE_MODULES = Path(os.environ.get("RAPPORT_NODE_MODULES", BASE_DIR.parent.parent / "node_modules"))
STATICFILES_DIRS = [("vendor/htmx", NODE_MODULES / "htmx.org" / "dist")]

# Counters of failed sign-ins (rapport.core.throttle) live in Redis when REDIS_URL
# is set (the cache below becomes Redis), else in the database: never per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("RAPPORT_LOGIN_FAILURES", "5"))
LOGIN_FAILURES_PER_ADDRESS = 4 * LOGIN_FAILURES_PER_USERNAME
LOGIN_LOCKOUT_SECONDS = 15 * 60
# How often an open ticket page looks for new messages (a 204 when there are none).
RAPPORT_THREAD_POLL_SECONDS = int(os.environ.get("RAPPORT_THREAD_POLL_SECONDS", "10"))

# Upper bounds on what a client may send. Attachments are checked by the
# actions (a clear error naming the limit); request bodies by Django.
RAPPORT_MAX_ATTACHMENT_BYTES = int(os.environ.get("RAPPORT_MAX_ATTACHMENT_MB", "25")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The fast paths of rapport.core.fast; RAPPORT_FAST_PATHS=0 runs Django's own code
# instead (docs/performance.md).
RAPPORT_FAST_PATHS = os.environ.get("RAPPORT_FAST_PATHS", "1").strip().lower() not in {
    "0", "false", "no", "off",
}  # fmt: skip
# Single fast paths turned off by name (prepared, rows, reference): make bench.
RAPPORT_FAST_PATHS_OFF = frozenset(
    name.strip() for name in os.environ.get("RAPPORT_FAST_PATHS_OFF", "").split(",") if name.strip()
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Background work: Huey in SQLite beside the database, or Redis when REDIS_URL
# is set so workers on several machines share one queue.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "rapport",
    "immediate": False,
    "utc": True,
    "consumer": {
        "workers": int(os.environ.get("RAPPORT_WORKER_THREADS", "2")),
        "worker_type": "thread",
    },
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # The queue's own SQLite file: web requests enqueue into it, so the same kind of
    # busy timeout as the database's (huey's default is 5 s).
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3"),
                 "timeout": 10})  # fmt: skip

# Sessions live in the database, read through the cache when every process shares it
# (Redis); a per-process cache would keep a signed-out session alive in the other
# processes. (A prepared session read saved ~1 ms of a ~23 ms page: under the 10 %
# a fast path must earn, docs/performance.md.)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

NINJA_PAGINATION_PER_PAGE = 25

# E-mail. Inbound: the SMTP/LMTP listener of `rapport serve` (0 turns it off) and
# IMAP mailboxes polled by the worker. Outbound: Django's SMTP backend.
RAPPORT_SMTP_HOST = os.environ.get("RAPPORT_SMTP_HOST", "127.0.0.1")
RAPPORT_SMTP_PORT = int(os.environ.get("RAPPORT_SMTP_PORT", "2525"))
RAPPORT_MAIL_HOSTNAME = os.environ.get("RAPPORT_MAIL_HOSTNAME", "rapport.localhost")
RAPPORT_MAIL_MAX_BYTES = int(os.environ.get("RAPPORT_MAIL_MAX_MB", "100")) * 1024 * 1024
RAPPORT_MAIL_NOTIFY = _env_bool("RAPPORT_MAIL_NOTIFY", True)
# SpamAssassin's spamd, "host:port" (empty: no spam check beyond X-Spam-* headers).
RAPPORT_SPAMD = os.environ.get("RAPPORT_SPAMD", "").strip()
# Longest line the SMTP listener takes (RFC 5321 says 998 octets; real mail exceeds it).
RAPPORT_MAIL_MAX_LINE = int(os.environ.get("RAPPORT_MAIL_MAX_LINE", str(1024 * 1024)))
RAPPORT_MAIL_RATE_PER_HOUR = int(os.environ.get("RAPPORT_MAIL_RATE_PER_HOUR", "20"))
# Links in mail point here; unset, they follow the port `rapport serve` listens on.
RAPPORT_BASE_URL = (
    os.environ.get("RAPPORT_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
)
# How long the one-click links of a satisfaction survey work.
RAPPORT_SURVEY_LINK_DAYS = int(os.environ.get("RAPPORT_SURVEY_LINK_DAYS", "30"))
# With no EMAIL_HOST, outbound mail stays on this machine: each message is written to
# var/outbox/ and an admin reads it (links and all) on the outbox page, so a demo or a
# trial never mails a real address nor fails against a missing local SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"
RAPPORT_MAIL_KEPT_LOCAL = not EMAIL_HOST
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rapport@rapport.localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The worker command gives huey a handler of its own; don't print each line twice.
        "huey": {"propagate": False},
    },
}
