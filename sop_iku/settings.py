"""Settings for SOP-IKU. Everything a deployment changes comes from the environment."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from whitenoise.compress import Compressor

from sop_iku.environment import WHERE as _where
from sop_iku.environment import MisconfiguredEnvironment, not_a_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


# A wrong value is said in one Indonesian sentence (sop_iku/environment.py): naming the variable,
# what it holds and what it takes, never guessed into a default.
def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise MisconfiguredEnvironment(
        f"{name}={value!r} bukan true atau false: isi {name} dengan true atau false {_where} (tanpa baris itu: "
        f"{str(default).lower()}), lalu jalankan lagi.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return default if value is None else int(value)
    except ValueError:
        raise MisconfiguredEnvironment(
            f"{name}={value!r} bukan bilangan bulat: isi {name} dengan angka saja, tanpa satuan atau titik (misalnya "
            f"{default}, yang dipakai tanpa baris itu), {_where}, lalu jalankan lagi.") from None


# Off unless asked for: an environment file that forgets it must not show debug pages to the world.
DEBUG = env_bool("DJANGO_DEBUG", False)
# The one-machine install of the README's quick start (SQLite beside the app, a secret key made on
# first start, reached on this machine): SOP_SINGLE_MACHINE=true. Otherwise, with DEBUG off, the
# install is a production one, and it refuses to start without its secret key, host names and
# database, rather than make up a key or a database of its own on each app server.
SINGLE_MACHINE = env_bool("SOP_SINGLE_MACHINE", False)
PRODUCTION = not DEBUG and not SINGLE_MACHINE
if PRODUCTION:
    missing = [name for name in ("DJANGO_ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)]
    if not os.environ.get("DJANGO_SECRET_KEY") and not Path(os.environ.get("SOP_SECRET_KEY_FILE", "/nonexistent")).is_file():
        missing.insert(0, "DJANGO_SECRET_KEY (atau SOP_SECRET_KEY_FILE yang menamai berkas yang ada)")
    if missing:
        raise MisconfiguredEnvironment(
            f"{', '.join(missing[:-1]) + ' dan ' if missing[1:] else ''}{missing[-1]} belum diatur, padahal tanpa "
            f"SOP_SINGLE_MACHINE=true (pemasangan satu mesin) ini pemasangan produksi, yang memerlukannya: isi "
            f"{_where}, lalu jalankan lagi.")


# The file the secret key is kept in, when it is: the audit seal and the certificates' encryption
# derive from it unless set apart, and a backup does not carry it (`manage.py backup` names it).
SECRET_KEY_FILE = None if os.environ.get("DJANGO_SECRET_KEY") or DEBUG else Path(
    os.environ.get("SOP_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))


def secret_key() -> str:
    """DJANGO_SECRET_KEY, else (DEBUG off) the key kept in SOP_SECRET_KEY_FILE; a one-machine install
    makes it on its first start, readable by its owner only, so sessions outlive a restart."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    if DEBUG:
        return "dev-only-not-secret"
    path = SECRET_KEY_FILE
    try:
        if not path.exists():
            import secrets

            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(50))
        return path.read_text().strip()
    except OSError as problem:
        # The app's folder not writable by the user it runs as, or SOP_SECRET_KEY_FILE naming a folder
        # that does not exist: a traceback ending in "Permission denied" before.
        from lib.commands import os_error_words

        raise MisconfiguredEnvironment(
            f"Kunci rahasia tidak dapat dibuat atau dibaca di {path} ({os_error_words(problem)}): pastikan foldernya ada "
            f"dan dapat ditulis oleh pengguna yang menjalankan aplikasi, atau atur SOP_SECRET_KEY_FILE ke berkas lain (atau "
            f"DJANGO_SECRET_KEY) {_where}, lalu jalankan lagi.") from None


SECRET_KEY = secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    # Django's admin, its recent actions listing each change once (sop_iku.admin_site).
    "sop_iku.admin_site.SiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "django_tasks",
    # Their own AppConfigs with names in Indonesian for the admin (operations.apps).
    "operations.apps.TasksDatabaseConfig",
    "operations.apps.LoginLockoutConfig",
    "workflow",
    "worktime",
    "iku",
    "naskah",
    "laporan",
    "notices",
    "operations",
    "filestore",
    "throttle",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    # First: a health check is answered whatever its Host (sop_iku/health.py).
    "sop_iku.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that writes a page's body, so what it compresses is the page as sent.
    "sop_iku.compression.TextGZipMiddleware",
    "sop_iku.log.RequestIdMiddleware",
    "sop_iku.request_guard.DeclaredCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sop_iku.sessions.IdleSessionMiddleware",
    "sop_iku.sessions.LoginRequiredKeepingInput",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sop_iku.cache_control.PrivateByDefaultMiddleware",
    # Last, as django-axes asks: it answers a locked-out login itself.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Serves collected static files from the app itself, so one process is a whole deployment (no
    # CDN, no separate web server needed); before the session, so a stylesheet costs no query.
    MIDDLEWARE.insert(2, "sop_iku.static_files.StaticFilesMiddleware")

ROOT_URLCONF = "sop_iku.urls"
WSGI_APPLICATION = "sop_iku.wsgi.application"

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
                "workflow.context_processors.sop",
                "notices.context_processors.notices",
            ],
        },
    },
]

# Lower case: not a setting, which a mailed error report would list with its password.
_database_url = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=60,
            # A kept connection is checked before a request uses it: after a failover to the standby the
            # next request connects afresh (to whichever host takes writes) instead of failing.
            conn_health_checks=True,
        )
    }
except ValueError as problem:
    raise MisconfiguredEnvironment(not_a_database_url(_database_url, problem)) from None
# Primary and standby: DATABASE_URL=postgres://USER:PASS@/NAME?host=db1,db2&port=5432,5432&
# target_session_attrs=read-write&connect_timeout=3 (libpq tries each host, keeps the one taking writes).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web workers and the task worker at once: WAL lets readers go
    # on beside the one writer, every transaction that may write takes the write lock when it begins
    # (IMMEDIATE: one that began reading cannot fail later for want of it), and a writer waits up
    # to 20 s for its turn instead of answering "database is locked". synchronous stays FULL: a
    # commit acknowledged to a user survives a power cut.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, connecting with patience while a standby is promoted (sop_iku/postgresql).
    DATABASES["default"]["ENGINE"] = "sop_iku.postgresql"
    # A request waits this long at most for a row another is writing, then its form comes back whole
    # with "basis data sibuk" (workflow.views.access.kept_when_busy). Without it a request waited
    # until gunicorn's timeout killed the worker: a 502 and the form lost. The task worker waits as
    # long as it takes (task_worker sets its own sessions' lock_timeout to 0).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # JIT off: the planner compiled a page's count over 10,000 dossiers, which it guessed costly, in
    # 30 ms to run it in 3 ms (tests/operations/test_no_jit.py); a page's queries are short, and none
    # gains from it.
    _options["options"] = " ".join(filter(None, [
        _options.get("options", ""), f"-c lock_timeout={env_int('SOP_LOCK_TIMEOUT_MS', 20000)}", "-c jit=off"]))
    # The values travel apart from the statement, so the same statement asked again is the same text,
    # and psycopg prepares it on its (kept) connection after its fifth use: PostgreSQL then skips
    # planning it, which took longer than running most of a page's indexed queries (0.7 ms against
    # 0.3 ms for the dashboard's late list). Off (false) behind a pooler that hands a session's
    # statements to another connection (PgBouncer in transaction mode); HAProxy passes connections whole.
    if env_bool("SOP_DB_PREPARED_STATEMENTS", True):
        _options["server_side_binding"] = True
        _options["prepare_threshold"] = 5
SOP_DB_FAILOVER_WAIT = env_int("SOP_DB_FAILOVER_WAIT", 15)
# The task worker stops after a task that left it using more memory than this (MB), to be started
# again with it given back (workflow/management/commands/task_worker.py); 0: never.
SOP_WORKER_MEMORY_MB = env_int("SOP_WORKER_MEMORY_MB", 300)
# Two test runs at once on one PostgreSQL server (two developers, or CI beside a benchmark) each
# need their own test database.
if os.environ.get("SOP_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SOP_TEST_DATABASE"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The report keeps a year's figures in the worker's memory under a fingerprint of that year's
# dossiers (laporan.figures), so a stale entry is never read, whichever server served the change.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}}}

# Work off the request path (mail, big PDFs) is queued in the database, so SQLite and PostgreSQL
# both work with no broker; `manage.py task_worker` runs it. SOP_TASKS_IMMEDIATE=true runs each
# task at once in the request instead (development without a worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("SOP_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend",
        # "webhooks": deliveries to other servers, worked apart (webhooks.tasks).
        "QUEUES": ["default", "webhooks"],
    }
}
AUTH_USER_MODEL = "workflow.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Guessing passwords: after 5 failures for one user name from one address, that name is refused
# from that address for 15 minutes (an admin may lift it sooner under "Pembatasan login" in the admin); from
# any other address it still signs in, so nobody can lock an official out from elsewhere. An
# address with 20 failures across names (spraying) is refused for every name. A right password
# clears its name's count from that address (sop_iku.lockout).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "workflow.auth.AgencyModelBackend"]
AXES_FAILURE_LIMIT = env_int("SOP_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = "sop_iku.lockout.lockout_parameters"
SOP_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SOP_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SOP_LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sop_iku.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy set SOP_PROXY_COUNT=1 (one per proxy adding to X-Forwarded-For) so the
# client's own address is counted, by the lockout and the verification upload quota alike.
SOP_PROXY_COUNT = env_int("SOP_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "sop_iku.client_address.client_address"
# Links that set a password, by e-mail (workflow.password_links). One the admin sends (a new
# account's first password) lasts SOP_PASSWORD_LINK_DAYS: an agency's officer may read the mail days
# later, and the account has nothing yet to take over. One asked for with "Lupa kata sandi?" lasts
# SOP_PASSWORD_RESET_MINUTES: its asker is waiting for it, and a mail read later by someone else
# should find it dead. Either dies once used, once the person signs in, or when the address changes.
# Django's PASSWORD_RESET_TIMEOUT is the longer of the two: its check comes first, then each kind's.
SOP_PASSWORD_LINK_DAYS = env_int("SOP_PASSWORD_LINK_DAYS", 7)
SOP_PASSWORD_RESET_MINUTES = env_int("SOP_PASSWORD_RESET_MINUTES", 60)
PASSWORD_RESET_TIMEOUT = max(SOP_PASSWORD_LINK_DAYS * 24 * 60 * 60, SOP_PASSWORD_RESET_MINUTES * 60)
# "Lupa kata sandi?": an address may ask SOP_PASSWORD_RESET_ASKS times an hour (whatever names it
# types, known or not: past it, it is told to wait), and one account is mailed at most
# SOP_PASSWORD_RESET_MAILS links an hour (past it, the page answers the same words and mails nothing),
# so nobody fills a mailbox with them, nor learns from the answer whether an account exists.
SOP_PASSWORD_RESET_ASKS = env_int("SOP_PASSWORD_RESET_ASKS", 20)
SOP_PASSWORD_RESET_MAILS = env_int("SOP_PASSWORD_RESET_MAILS", 3)
# A session ends after a working day without use (sop_iku.sessions renews it while in use); a
# deactivated user's sessions are deleted.
SESSION_COOKIE_AGE = env_int("SOP_SESSION_SECONDS", 9 * 60 * 60)
# Django's database sessions, read by a written statement (sop_iku/session_store.py).
SESSION_ENGINE = "sop_iku.session_store"
LOGIN_URL = "login"
# Django's own page is English and drops the form; ours gives back what was typed (sop_iku/errors.py).
CSRF_FAILURE_VIEW = "sop_iku.errors.csrf_failure"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
# Indonesian for what the packages leave in English in the admin (django-tasks' results, django-axes'
# lockout filter); compiled with `msgfmt` and kept beside the .po, so an install needs no gettext.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["sop_iku.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded and generated documents live in the database (filestore, README "Documents"), so every
# app server serves the same bytes; they are served only through views that ask the policy.
# MEDIA_ROOT is read only by the migration that moved an older install's files in.
STORAGES = {
    "default": {"BACKEND": "filestore.storage.DatabaseStorage"},
    # collectstatic names each file by its content's hash and keeps a gzip and a brotli copy beside
    # it: WhiteNoise then serves it compressed and cached for good (a changed file has a new name),
    # so an office paying per megabyte fetches the stylesheet and scripts once, not every minute.
    # A name not yet collected goes out plain rather than failing the page (sop_iku.static_files).
    "staticfiles": {"BACKEND": "sop_iku.static_files.StaticStorage"},
}
# Source maps are read only by a developer's browser tools, never by an office's page: compressing
# the API docs' maps with brotli was half of collectstatic's time (22 s on two cores), paid at every
# install and upgrade.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
UPLOAD_MAX_BYTES = env_int("SOP_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
# Copies uploaded to the public verification page (no login): a document of record is a few MB, so
# a larger one is refused from its declared length before the body is read; an address may send
# SOP_VERIFY_UPLOADS per SOP_VERIFY_UPLOAD_MINUTES, and at most SOP_VERIFY_AT_ONCE are read and
# checked at a time over all workers and servers, so they never hold every worker (throttle).
SOP_VERIFY_MAX_BYTES = env_int("SOP_VERIFY_MAX_BYTES", 5 * 1024 * 1024)
SOP_VERIFY_UPLOADS = env_int("SOP_VERIFY_UPLOADS", 10)
SOP_VERIFY_UPLOAD_MINUTES = env_int("SOP_VERIFY_UPLOAD_MINUTES", 10)
SOP_VERIFY_AT_ONCE = env_int("SOP_VERIFY_AT_ONCE", 1)
# An agency's IKU grid posts 8 fields a row. A table pasted past its 300 rows (iku.rows.MAX_ROWS),
# a Renstra of five years or a whole sheet, must still reach the form, which names the limit and gives
# every row back: at 3,000 fields a paste of 373 rows or more met "Permintaan tidak dapat dibaca ...
# kirim ulang", which sending again met again. Up to about 1,200 rows reach it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The IKU rules: how many indicators a sasaran may carry before the agency is warned, and how big
# an uploaded IKU workbook may be.
SOP_IKU_MAX_PER_SASARAN = env_int("SOP_IKU_MAX_PER_SASARAN", 3)
SOP_IKU_XLSX_MAX_BYTES = env_int("SOP_IKU_XLSX_MAX_BYTES", 5 * 1024 * 1024)

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For the SMTP backend: the office's mail server.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
# The Date header in Pontianak's time, as the message's body reads (not UTC, a day behind before 07.00).
EMAIL_USE_LOCALTIME = True
# For the file-based backend (django.core.mail.backends.filebased.EmailBackend): the folder it writes to.
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# Where gunicorn serves (gunicorn.conf.py reads the same variable).
SOP_BIND = os.environ.get("SOP_BIND", "127.0.0.1:8000")
# Where the app is reached, for links in e-mails sent by commands (no request to read it from) and
# in every document's QR code, fixed into a signed one for good; unset, the address served at.
SOP_SITE_URL = os.environ.get("SOP_SITE_URL") or (
    "http://127.0.0.1:8000" if SOP_BIND.startswith(("unix:", "fd://")) else f"http://{SOP_BIND}")
# A one-machine install served to the office LAN (SOP_BIND=0.0.0.0:8000) is opened at the address
# SOP_SITE_URL names: that host is allowed beside 127.0.0.1 and localhost, where every officer met a
# 400 page before. Unset, the check in sop_iku/checks.py says what to set.
if not os.environ.get("DJANGO_ALLOWED_HOSTS") and (site_host := urlsplit(SOP_SITE_URL).hostname):
    if site_host not in ALLOWED_HOSTS and site_host not in ("0.0.0.0", "::"):
        ALLOWED_HOSTS.append(site_host)
# Encrypts the installed signing certificates (naskah.certificates); empty: derived from SECRET_KEY.
SOP_SIGNING_KEY = os.environ.get("SOP_SIGNING_KEY", "")
# An RFC 3161 timestamp authority (http/https URL) for long-term signatures (naskah.pades); empty:
# the one installed under Admin › Sertifikat, as the demo's. Set, signing may also fetch revocation data.
SOP_TSA_URL = os.environ.get("SOP_TSA_URL", "")
# The BSrE TTE service (naskah.bsre) officials chosen for it in the admin sign through: its base URL,
# and the client account BSrE gives the institution. Empty URL: everyone signs with the certificates
# installed here. A signing waits at most SOP_BSRE_TIMEOUT seconds for it.
SOP_BSRE_URL = os.environ.get("SOP_BSRE_URL", "")
SOP_BSRE_USER = os.environ.get("SOP_BSRE_USER", "")
SOP_BSRE_PASSWORD = os.environ.get("SOP_BSRE_PASSWORD", "")
SOP_BSRE_TIMEOUT = env_int("SOP_BSRE_TIMEOUT", 30)
# Seals the audit log (workflow.audit_chain); empty: derived from SECRET_KEY. Kept off the database
# server, and carried with a backup to wherever it is restored, or the restored log will not verify.
SOP_AUDIT_KEY = os.environ.get("SOP_AUDIT_KEY", "")
# Where `verify_audit --checkpoint` records the log's end, outside the database (copy it off-host).
SOP_AUDIT_CHECKPOINTS = os.environ.get("SOP_AUDIT_CHECKPOINTS") or str(BASE_DIR / "var" / "audit-checkpoints.jsonl")
# A name with the address: a mail list on a phone shows the name, and a bare "sop-iku@..." reads as
# a machine nobody answers for.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "SOP-IKU Biro Kesra <sop-iku@kalbarprov.go.id>")

# Secure cookies need HTTPS; an office server reached over plain HTTP on the LAN sets SOP_HTTPS=false.
SOP_HTTPS = env_bool("SOP_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SOP_HTTPS
CSRF_COOKIE_SECURE = SOP_HTTPS
# Behind HTTPS: browsers are told to come back only over HTTPS for a year, and plain HTTP is
# redirected. A reverse proxy that ends TLS sets SOP_PROXY_SSL_HEADER=true (X-Forwarded-Proto).
SECURE_SSL_REDIRECT = SOP_HTTPS
# The supervisor's and the load balancer's health checks may ask over plain HTTP on 127.0.0.1.
SECURE_REDIRECT_EXEMPT = [r"^sehat/$", r"^siap/$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if SOP_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SOP_HTTPS
SECURE_HSTS_PRELOAD = SOP_HTTPS
if env_bool("SOP_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the app's own files run or style a page: no inline script or style, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Errors: "Nama <email>,Nama <email>" (or bare addresses) in DJANGO_ADMINS receive each 5xx by mail (Django hides
# passwords, keys and cookies from the report). Every line carries the request id, user and dossier.
def admins(value: str) -> list[tuple[str, str]]:
    """DJANGO_ADMINS: "Nama <email>" or a bare address, comma-separated. An entry without "<" was
    dropped unsaid: DJANGO_ADMINS=admin@kalbarprov.go.id mailed nobody any error, for good."""
    found = []
    for entry in filter(None, (entry.strip() for entry in value.split(","))):
        name, _, email = entry.rpartition("<") if "<" in entry else (entry, "", entry)
        if "@" not in email:
            raise MisconfiguredEnvironment(
                f"DJANGO_ADMINS memuat {entry!r}, yang bukan alamat surel: tulis tiap penerima sebagai "
                f"Nama <alamat@surel> atau alamat@surel saja, dipisah koma, {_where}, lalu jalankan lagi.")
        found.append((name.strip() or email.strip(" >"), email.strip(" >")))
    return found


ADMINS = admins(os.environ.get("DJANGO_ADMINS", ""))
# The same failure is mailed once, then held back for this many minutes (0: mailed every time); the
# log records each. The marks live in SOP_ERROR_MAIL_STATE, shared by the server's web workers
# (sop_iku/error_mail.py): a database refusing the app's password mailed once per request.
SOP_ERROR_MAIL_QUIET_MINUTES = env_int("SOP_ERROR_MAIL_QUIET_MINUTES", 15)
SOP_ERROR_MAIL_STATE = os.environ.get("SOP_ERROR_MAIL_STATE") or str(BASE_DIR / "var" / "error-mail")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The admins' mailbox tells the app's error mail from the rest by this, not by Django's "[Django]".
EMAIL_SUBJECT_PREFIX = "[SOP-IKU] "
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "sop_iku.log.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user)s "
                            "dosier=%(dossier)s %(path)s] %(message)s"},
        "json": {"()": "sop_iku.log.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_context"],
                    "formatter": "json" if env_bool("SOP_LOG_JSON", False) else "plain"},
        "mail_admins": {"class": "sop_iku.error_mail.QuietAdminEmailHandler", "level": "ERROR",
                        "filters": ["request_context"]},
    },
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "sop_iku": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint's font subsetting says at every document that it drops a table the PDF never
        # needs ("FFTM NOT subset"): forty lines of noise in the demo's output, nothing to act on.
        "fontTools.subset": {"level": "ERROR"},
        # pypdf says in English what it stumbles on in a file it is given ("invalid pdf header", "EOF
        # marker not found"): before verify_document's verdict, and in the journal at each copy uploaded
        # to a verification page. The verdict says it in Indonesian; an operator can do nothing with these.
        "pypdf": {"level": "ERROR"},
    },
}

# The API (/api/v1/, the `api` app): tokens or the browser's session, JSON only, the policy's answers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ApiThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.Formats",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handler",
    "DEFAULT_METADATA_CLASS": "api.metadata.Allowed",
}
# Requests a minute per API token (or signed-in user): past it, 429 with Retry-After.
SOP_API_REQUESTS = env_int("SOP_API_REQUESTS", 300)
SPECTACULAR_SETTINGS = {
    "TITLE": "SOP-IKU API",
    "DESCRIPTION": "Dosier penetapan IKU, tabel IKU SKPD, naskah dan laporan Biro Kesra Provinsi Kalimantan Barat.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's scripts come from the sidecar package under static/, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.refusals"],
}
