"""One settings file, read from the environment.

BANSOU_MODE=local (the default, what `make run` uses: plain HTTP on 127.0.0.1, SQLite under var/)
or BANSOU_MODE=production (HTTPS behind a proxy: secure cookies, HSTS, a secret key from the
environment). DATABASE_URL switches the database (e.g. postgres://user@host:5432/bansou).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BANSOU_VAR_DIR", BASE_DIR / "var"))

MODE = os.environ.get("BANSOU_MODE", "local")
if MODE not in ("local", "production"):
    raise RuntimeError(f"BANSOU_MODE must be 'local' or 'production', not {MODE!r}")
PRODUCTION = MODE == "production"
DEBUG = os.environ.get("BANSOU_DEBUG", "") == "1" and not PRODUCTION


def _secret_key() -> str:
    """From SECRET_KEY; in local mode, made once and kept in var/secret_key."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when BANSOU_MODE=production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, comma-separated, while a key is being rotated: sessions and invitation codes (whose
# digests are keyed with SECRET_KEY) made under them keep working.
SECRET_KEY_FALLBACKS = [key for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key]

_hosts = os.environ.get("ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", os.environ.get("HOST", "127.0.0.1")]
)
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "bansou.accounts",
    "bansou.web",
    "bansou.frameworks",
    "bansou.checks",
    "bansou.disclosure",
    "bansou.invitations",
    "bansou.places",
    "bansou.orgs",
    "bansou.profiles",
    "bansou.sharing",
    "bansou.teams",
    "bansou.cohorts",
    "bansou.plans",
    "bansou.proposals",
    "bansou.placements",
    "bansou.feedback",
    "bansou.dashboard",
    "bansou.reports",
    "bansou.ops",
    "bansou.accounts.apps.AdminConfig",  # Django's admin site, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bansou.accounts.apps.AxesConfig",  # django-axes, with Japanese names in the admin site
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    "bansou.ops.request_ids.RequestIdMiddleware",  # X-Request-ID, and the id on every log line
    "bansou.ops.health.HealthzMiddleware",  # /healthz, before the host check and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, with their long caching
    "bansou.web.caching.NoStoreMiddleware",  # everything else: Cache-Control: no-store
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bansou.invitations.shown_once.Middleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bansou.accounts.session_limits.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "bansou.accounts.second_factor.gate.Middleware",  # staff who must have one enrol before anything else
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "bansou.web.context_processors.site",
                "bansou.accounts.context_processors.kept_answers",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bansou.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so that two workers wait for each other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The second factor's code, checked like a password (so through the same throttle): never a way
    # in by itself, only the second step of a login that the password began.
    "bansou.accounts.second_factor.backend.CodeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:logged_out"

# Who may sign up: "open" (anyone who reaches the server) or "invite" (with an invitation that lets a
# new person create an account: a sign-up code an administrator made, or an organisation's or 研修's
# code its organisation's 管理者 chose to let do so). Invite-only by default in production: whoever can
# make accounts can invent participants of a 研修 and read the one real person's answers off its totals.
SIGNUP_MODE = os.environ.get("BANSOU_SIGNUP", "invite" if PRODUCTION else "open")
if SIGNUP_MODE not in ("open", "invite"):
    raise RuntimeError(f"BANSOU_SIGNUP must be 'open' or 'invite', not {SIGNUP_MODE!r}")

# Who may register an organisation (and so become its 管理者, who can issue invitations that make
# accounts): "anyone" signed in, or "admins" (the site's administrators). Administrators only by
# default in production.
ORG_REGISTRATION = os.environ.get("BANSOU_ORG_REGISTRATION", "admins" if PRODUCTION else "anyone")
if ORG_REGISTRATION not in ("anyone", "admins"):
    raise RuntimeError(f"BANSOU_ORG_REGISTRATION must be 'anyone' or 'admins', not {ORG_REGISTRATION!r}")

# The second factor (TOTP with recovery codes, django-otp): organisation 管理者 and 職員 and the site's
# administrators must have one when this is on (on in production unless set); the admin site always
# asks for one, whatever this says.
_otp_required = os.environ.get("BANSOU_OTP_REQUIRED_FOR_STAFF", "1" if PRODUCTION else "0")
if _otp_required not in ("0", "1"):
    raise RuntimeError(f"BANSOU_OTP_REQUIRED_FOR_STAFF must be 1 or 0, not {_otp_required!r}")
OTP_REQUIRED_FOR_STAFF = _otp_required == "1"
OTP_TOTP_ISSUER = os.environ.get("BANSOU_OTP_ISSUER", "bansou")

# django-axes: lock out a username from an address after 5 failures, for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "bansou.ops.logs.axes_client_str"  # its log lines never name the login ID
# How many days axes' records of logins and failed logins (login id, address, browser) are kept before
# `manage.py purge_login_records` erases them; an account's own go when it is deleted.
LOGIN_RECORD_DAYS = int(os.environ.get("BANSOU_LOGIN_RECORD_DAYS", "90"))
if LOGIN_RECORD_DAYS < 1:
    raise RuntimeError(f"BANSOU_LOGIN_RECORD_DAYS must be at least 1, not {LOGIN_RECORD_DAYS}")


def _trusted_proxies() -> list[str]:
    """TRUSTED_PROXIES: the networks (CIDRs, comma-separated) of the reverse proxies in front, whose
    X-Forwarded-For is believed, or "none" (the header is never believed). Production refuses to
    start until the operator has said which: a wrong guess either lets anyone dodge the login
    throttle with a forged header or counts every client as the proxy."""
    if "PROXY_COUNT" in os.environ:
        raise ImproperlyConfigured(
            "PROXY_COUNT is no longer read: set TRUSTED_PROXIES to the proxies' networks "
            "(e.g. TRUSTED_PROXIES=10.0.0.0/8,192.0.2.10) or to none"
        )
    raw = os.environ.get("TRUSTED_PROXIES", "").strip()
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured(
                "TRUSTED_PROXIES must be set when BANSOU_MODE=production: the networks of the reverse "
                "proxies whose X-Forwarded-For may be believed (comma-separated CIDRs, e.g. "
                "TRUSTED_PROXIES=10.0.0.0/8,192.0.2.10), or TRUSTED_PROXIES=none to count every client "
                "by the address it connects from"
            )
        return []
    if raw.lower() == "none":
        return []
    networks = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES must be comma-separated networks (CIDRs) or none, not {part!r}"
            ) from None
    return networks


# Behind a reverse proxy every request comes from the proxy: the client is counted by the address
# the trusted proxies forwarded (bansou.accounts.client_ip), never by a header anyone else sends.
TRUSTED_PROXIES = _trusted_proxies()
AXES_CLIENT_IP_CALLABLE = "bansou.accounts.client_ip.client_ip"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if os.environ.get("BANSOU_PLAIN_STATIC") == "1"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Everything is served from here: a request anywhere else is a mistake and the browser refuses it.
# default-src does not cover where forms post, <base>, framing or plugins: those are set too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # a visitor's (their answers live under a key in it)
# A signed-in session ends after this long without a request: sooner for organisation staff and
# administrators, who read other people's answers (bansou.accounts.session_limits) ...
SESSION_IDLE_SECONDS_STAFF = 60 * int(os.environ.get("BANSOU_IDLE_MINUTES_STAFF", "30"))
SESSION_IDLE_SECONDS = 60 * int(os.environ.get("BANSOU_IDLE_MINUTES", str(8 * 60)))
# ... and, however busy, this long after the login.
SESSION_ABSOLUTE_SECONDS = 60 * 60 * int(os.environ.get("BANSOU_SESSION_HOURS", "12"))
# Retention (manage.py apply_retention): a signed-in person's check left unsubmitted this long is
# deleted (autosave counts as touching it) ...
DRAFT_RETENTION_DAYS = int(os.environ.get("BANSOU_DRAFT_DAYS", "365"))
# ... and the access logs (who looked at a person's answers; what staff and administrators searched,
# opened and downloaded) are kept this long: a team works for one 年度 and is often followed by another,
# so three years let a person see who looked at what over a team's 年度 and the two after it.
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("BANSOU_ACCESS_LOG_DAYS", str(3 * 365)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "bansou.web.views.csrf_failure"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Logs: one JSON object per line in production (bansou.ops.logs: time, level, logger, message, request
# id, user id; never a name, login ID or answer), with an access line per request; plain text locally.
LOG_FORMAT = os.environ.get("BANSOU_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise RuntimeError(f"BANSOU_LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "bansou.web.log_filters.RefusalsWithoutTraceback"}},
    "formatters": {"json": {"()": "bansou.ops.logs.JsonFormatter"}, "text": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "loggers": {
        "django.request": {"filters": ["refusals"]},  # a 403 is one line, no traceback
        "bansou.access": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The framework files loaded by `manage.py load_frameworks` (and by `make run`).
FRAMEWORK_DATA_DIR = BASE_DIR / "bansou" / "frameworks" / "data"
DEFAULT_FRAMEWORK = os.environ.get("BANSOU_FRAMEWORK", "leaflet")
