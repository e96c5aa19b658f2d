"""Shubbak settings: one module, every value read from the environment with typed helpers.

Defaults give a working single-desk install (SQLite, local-memory cache, tasks run in process).
Set SHUBBAK_PROFILE=production for the hardened profile checked by `manage.py check --deploy`.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; silently absent on most machines

PROFILE = env.str("SHUBBAK_PROFILE", default="development")
PRODUCTION = PROFILE == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: a production install must set its own
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnop")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "shubbak",
    "shubbak.accounts",
    "shubbak.organisations",
    "shubbak.audit",
    "shubbak.registry",
    "shubbak.imports",
    "shubbak.notifications",
    "shubbak.helpdesk",
    "shubbak.referrals",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "shubbak.middleware.RequestContextMiddleware",
    "shubbak.middleware.UserLanguageMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks
]

ROOT_URLCONF = "shubbak.urls"
WSGI_APPLICATION = "shubbak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shubbak" / "templates"],  # before app templates: our allauth pages win
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shubbak.context_processors.shell",
                "shubbak.helpdesk.context_processors.helpdesk",
                "shubbak.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database: SQLite file by default, any DATABASE_URL otherwise -----------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'shubbak.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work together on a single desk's machine.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=16384;",
    }
    # Opening the file and running the pragmas costs 3–5 ms a request: keep the connection a minute.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A web request's queries are short: starting parallel workers costs more than it saves on a small server.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c max_parallel_workers_per_gather=0")
    # Parameters sent apart from the statement (not quoted into it by the driver): a public form post costs a tenth
    # less CPU.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    # Prepared statements (a statement run N times on a connection is planned once) save PostgreSQL a third of its CPU
    # per form post, but fail behind a pooler in transaction mode and, on a kept connection, after a migration changes
    # a table it reads: off unless set.
    if (threshold := env.int("DATABASE_PREPARE_THRESHOLD", default=0)) > 0:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = threshold
    # Tests copy a UTF-8 template so Arabic trigram search behaves as in production.
    DATABASES["default"]["TEST"] = {"TEMPLATE": env.str("DATABASE_TEST_TEMPLATE", default="template0"), "CHARSET": "UTF8"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work ---------------------------------------------------------------
# Jobs (e-mail, imports) go to a queue served by `manage.py run_huey` workers: Redis when REDIS_URL is
# set, else a SQLite file beside the database (no extra service). JOBS=immediate runs them in process.
REDIS_URL = env.str("REDIS_URL", default="")
JOBS = env.str("JOBS", default="redis" if REDIS_URL else "sqlite")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shubbak"}}
if JOBS == "immediate":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "shubbak", "immediate": True}
elif JOBS == "redis":
    HUEY = {"huey_class": "huey.RedisHuey", "name": "shubbak", "immediate": False, "connection": {"url": REDIS_URL}}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "shubbak",
        "immediate": False,
        "filename": env.str("JOBS_FILE", default=str(BASE_DIR / "jobs.sqlite3")),
    }
HUEY["consumer"] = {"workers": env.int("WORKERS", default=2), "worker_type": "thread"}

# --- Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # staff accounts are created by their organisation's admin
ACCOUNT_ADAPTER = "shubbak.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,20/5m/key"}  # a backstop; django-axes locks first

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

# --- E-mail: console by default, anything via EMAIL_URL (smtp://user:pass@host:587/?tls=True) ---
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Shubbak <no-reply@shubbak.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "shubbak" / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Hebron")
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))  # outside the web root

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "shubbak.api.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shubbak API",
    "DESCRIPTION": "Organisations, desks and staff of a business-support network. "
    "Authenticate with `Authorization: Token <key>` (manage.py drf_create_token <email>).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # one name per choice set that several serializers share
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "shubbak.helpdesk.models.Case.Status",
        "RequestedServiceStatusEnum": "shubbak.helpdesk.models.CaseService.Status",
        "CaseEventKindEnum": "shubbak.helpdesk.models.CaseEvent.Kind",
        "CurrencyEnum": "shubbak.helpdesk.models.Case.Currency",
        "OrganisationKindEnum": "shubbak.organisations.models.Organisation.Kind",
        "ReferralKindEnum": "shubbak.referrals.models.Referral.Kind",
        "NetworkKindEnum": "shubbak.organisations.models.Network.Kind",
        "DeskKindEnum": "shubbak.organisations.models.Desk.Kind",
    },
}

# --- Security -------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

ADMINS = [("Shubbak", a) for a in env.list("ADMIN_EMAILS", default=[])]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Shubbak ----------------------------------------------------------------------------------------
SHUBBAK_DEMO_PASSWORD = "shubbak-demo-2026"
SHUBBAK_BASE_URL = env.str("SHUBBAK_BASE_URL", default="http://127.0.0.1:8000")

# Enterprise size classes per country (ISO 3166-1): the largest employees and annual revenue (USD) of
# each class. An enterprise is in the first class whose both limits it stays within. JSON in
# SIZE_THRESHOLDS overrides these; "default" serves countries not listed.
SIZE_THRESHOLDS = env.json(
    "SIZE_THRESHOLDS",
    default={
        "PS": {"micro": [4, 20_000], "small": [9, 100_000], "medium": [19, 500_000]},
        "SY": {"micro": [5, 20_000], "small": [15, 100_000], "medium": [50, 500_000]},
        "YE": {"micro": [4, 20_000], "small": [10, 100_000], "medium": [50, 500_000]},
        "default": {"micro": [9, 20_000], "small": [49, 500_000], "medium": [249, 2_000_000]},
    },
)

# --- The helpdesk's public pages --------------------------------------------------------------------
# How many requests the public form takes from one IP address, and how many wrong code/phone pairs the
# tracking page accepts from one address, per period: "N/s", "N/m", "N/h" or "N/d" (as DRF reads rates);
# empty for no limit. The public API uses the same rates. Counted in Django's cache: per worker process
# with the default local-memory cache, shared by all workers once REDIS_URL is set. Many clients behind
# one mobile operator's address share a limit: raise it where that is the case.
PUBLIC_REQUEST_RATE = env.str("PUBLIC_REQUEST_RATE", default="20/h")
PUBLIC_TRACK_RATE = env.str("PUBLIC_TRACK_RATE", default="30/h")

# --- Referrals -----------------------------------------------------------------------------------------
# Working days a receiver has to answer a referral before it is reminded, and days a partner's signed link works.
REFERRAL_RESPONSE_DAYS = env.int("REFERRAL_RESPONSE_DAYS", default=3)
REFERRAL_LINK_DAYS = env.int("REFERRAL_LINK_DAYS", default=30)
