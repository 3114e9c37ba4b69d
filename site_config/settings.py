"""Settings, read from environment variables (see README.md, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"

# seed_demo writes public logins and keys: without DEBUG only on a host declared a demo.
DEMO_HOST = env_bool("DEMO_HOST", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_prometheus",
    "dashboards",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before the host check and the HTTPS redirect.
    "dashboards.platform.health.OperationsMiddleware",
    # One log line per request, with its id (X-Request-ID).
    "dashboards.platform.request_log.RequestLogMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dashboards.platform.middleware.ResponseHardeningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The pages' language: the chooser's cookie, else Accept-Language (README, "Languages").
    "django.middleware.locale.LocaleMiddleware",
    # ...but the APIs answer in their contracts' English whatever the caller's language.
    "dashboards.platform.middleware.ApiLanguageMiddleware",
    # The pages' time zone: the browser's, from the `tz` cookie (README, "Time zones").
    "dashboards.platform.time_zones.ViewerTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dashboards.platform.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a locked log-in into its 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The app's template tags live with the pages (dashboards/web/), not in an
            # app-level templatetags package.
            "libraries": {
                "orgs": "dashboards.web.templatetags.orgs",
                "selection": "dashboards.web.templatetags.selection",
                "ui": "dashboards.web.templatetags.ui",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while a load writes; IMMEDIATE avoids "database is locked"
        # on lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
# Optional read replica: dashboard reads go there (dashboards/platform/routers.py), writes never do.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A standby that does not answer must cost little: its reads fall back to the primary and
    # it is retried after DATABASE_REPLICA_RETRY_SECONDS (libpq's shortest connect timeout is 2).
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
        )
    DATABASE_REPLICA_RETRY_SECONDS = float(os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "5"))
    DATABASE_ROUTERS = ["dashboards.platform.routers.ReplicaRouter"]

AUTH_USER_MODEL = "dashboards.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Messages live in the server-side session: a cookie is signed, not encrypted, and the admin
# shows a newly issued API key once through a message.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# The pages' languages (locale/<code>/LC_MESSAGES/django.po, compiled by `make messages`).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Times are stored and served (APIs, CSV) in UTC; the pages show them in the viewer's zone,
# named by the browser in this cookie (dashboards/platform/time_zones.py), else UTC.
TIME_ZONE = "UTC"
TIME_ZONE_COOKIE_NAME = "tz"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict unless DEBUG; SECURE_SSL_REDIRECT=false serves plain HTTP behind nothing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A browser session ends after 24 idle hours, like a session key (models.SESSION_IDLE_LIFETIME);
# SessionIdleMiddleware moves its end on with use.
SESSION_COOKIE_AGE = 24 * 60 * 60
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (docs/reliability.md, "Security"): scripts and styles only from our
# own static files, no inline code; avatars are external images, so any https image may load.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:", "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Django's cache: per process by default; REDIS_URL shares it between the workers (needs the
# `redis` package). The log-in limits do not use it: they count in the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# A partner key or user token looked up is kept this many seconds by the worker that looked it
# up (dashboards/access/authentication.py): a revocation, deletion or user change made through
# the app takes effect at once in that worker and within this bound in the others. 0: looked up on
# every request.
CREDENTIAL_CACHE_SECONDS = int(os.environ.get("CREDENTIAL_CACHE_SECONDS", "5"))

# The org overview's figures (above a member listing) are counted at most this often per org
# and cache (each worker's own without REDIS_URL); 0 counts on every page.
ORG_OVERVIEW_CACHE_SECONDS = int(os.environ.get("ORG_OVERVIEW_CACHE_SECONDS", "30"))

# Log-in limits (django-axes, dashboards/web/login.py): LOGIN_FAILURE_LIMIT failures for one
# username from one address lock that pair, 4 × as many from one address lock the address, for
# LOGIN_FAILURE_WINDOW seconds after the last failure; /login/ and /admin/login/ alike.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))  # seconds
AUTHENTICATION_BACKENDS = [
    "dashboards.web.login.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "dashboards.web.login.LoginAttempts"
# LoginAttempts reads them in this order: the pair, then the address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "dashboards.web.login.failure_limit"
AXES_COOLOFF_TIME = "dashboards.web.login.failure_window"
AXES_USERNAME_CALLABLE = "dashboards.web.login.attempted_username"
AXES_LOCKOUT_CALLABLE = "dashboards.web.login.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# The client is the socket's peer: headers a client can set are not trusted for this.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Failures are kept (AccessAttempt, visible in the admin); successful log-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Dashboards API",
    "VERSION": "2.0.0",
    # Swagger UI's assets come from drf-spectacular-sidecar, served by us (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dashboards.api.openapi.org_paths_as_documented",
    ],
}

# Operations (README.md, "Operations"): readiness, metrics, the request log.
READYZ_TIMEOUT = float(os.environ.get("READYZ_TIMEOUT", "2"))  # seconds per database
# /metrics: readable from these addresses or networks, or with `Authorization: Bearer <token>`.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# X-Request-ID is taken from these peers (the proxies in front), generated for anyone else.
REQUEST_ID_TRUSTED_IPS = env_list(
    "REQUEST_ID_TRUSTED_IPS", env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])
)
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT is 'text' or 'json'.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dashboards.platform.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {
            "()": "dashboards.platform.request_log.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "dashboards.platform.request_log.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request whatever LOG_LEVEL; REQUEST_LOG=false silences it.
        "dashboards.request": {
            "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING",
        },
    },
}
