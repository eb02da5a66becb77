"""The error pages: Indonesian, and they never raise.

Django's own handlers print what the exception says ("Resolver404", "No Dossier matches the given
query.") and fall back to a bare English "Bad Request (400)"; a request whose body cannot be read
(a form declaring charset utf-16) made the page itself fail again. These pages read nothing from
the request except the logged-in user, and fall back to fixed HTML if even that fails.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from lib.numbers import grouped
from sop_iku.postgresql import lasting_refusal
from sop_iku.typed_back import typed_back

logger = logging.getLogger("sop_iku.errors")

TITLES = {
    400: ("Permintaan tidak dapat dibaca", "Isian atau berkas yang dikirim tidak dapat dibaca (misalnya nama "
          "berkas terlalu panjang atau pengodean formulir yang tidak dikenal). Tidak ada data yang berubah; "
          "kembali dan kirim ulang."),
    # Django refuses a request for a host it was not told of (ALLOWED_HOSTS): an office LAN install
    # opened at the machine's address before SOP_SITE_URL named it, where "the file's name too long"
    # sent the officers looking at their forms.
    "host": ("Alamat ini belum dikenal aplikasi", "Halaman ini dibuka lewat alamat yang tidak tercantum dalam "
             "pengaturan aplikasi, jadi permintaan ditolak dan tidak ada data yang berubah. Buka aplikasi lewat "
             "alamat yang diberikan admin Biro. Untuk admin: atur SOP_SITE_URL ke alamat yang dibuka pengguna (atau "
             "tambahkan alamat itu ke DJANGO_ALLOWED_HOSTS), lalu jalankan ulang aplikasi."),
    # A form too big for Django to read (bad_request says which limit and what to do instead).
    "too_much": ("Isian terlalu besar untuk dikirim sekaligus", ""),
    403: ("Anda tidak berwenang membuka halaman ini", "Peran Anda tidak mengizinkan tindakan ini."),
    404: ("Halaman tidak ditemukan", "Alamat ini tidak ada atau tidak dibagikan kepada Anda."),
    500: ("Terjadi kesalahan pada server", "Tidak ada data Anda yang berubah. Coba lagi sebentar lagi, atau "
          "hubungi admin Biro."),
    503: ("Basis data sedang tidak terjangkau", "Server basis data sedang berganti atau dimulai ulang; biasanya "
          "hanya beberapa detik. Coba lagi sebentar lagi: yang sudah tersimpan tidak hilang."),
    # PostgreSQL refuses the app's own connection string (a wrong password, user, database or
    # pg_hba.conf line: sop_iku.postgresql.lasting_refusal): no failover mends it, and "try again in a
    # moment" sent everyone clicking at a site that stays down until its admin changes a setting.
    "misconfigured": ("Aplikasi tidak dapat tersambung ke basis datanya", "Pengaturan sambungan aplikasi ke basis data "
                      "keliru, jadi untuk sementara aplikasi tidak dapat dipakai; mencoba lagi tidak akan menolong sampai "
                      "admin memperbaikinya. Tidak ada data Anda yang berubah. {told}"),
    # The form never reached its view: its token or its session is gone (sop_iku/typed_back.py).
    "csrf": ("Formulir ini sudah kedaluwarsa", "Isian Anda belum tersimpan: halaman formulir ini dibuka sebelum Anda "
             "keluar atau masuk lagi. Semua yang Anda ketik ada di bawah ini: salin, buka lagi formulirnya, tempel, "
             "lalu kirim."),
    "session": ("Sesi Anda telah berakhir", "Isian Anda belum tersimpan karena sesi Anda berakhir (terlalu lama tidak "
                "aktif, atau Anda keluar di tab lain). Semua yang Anda ketik ada di bawah ini: salin dahulu, masuk "
                "lagi, buka formulirnya, tempel, lalu kirim."),
}

TYPED_BACK = ("Isian Anda belum tersimpan. Semua yang Anda ketik ada di bawah ini: periksa, lalu tekan Kirim lagi, "
              "atau salin dahulu teksnya dan coba lagi sebentar lagi. Bila terulang, hubungi admin Biro.")

# Cut off mid-commit, the form may have been saved: sending it again is safe (a create form's key
# is recorded with what it created; a state or revision sent again is refused as stale).
TYPED_BACK_AWAY = ("Isian Anda mungkin belum tersimpan. Semua yang Anda ketik ada di bawah ini: tunggu beberapa detik, "
                   "lalu tekan Kirim lagi. Yang sudah tercatat tidak dicatat dua kali.")

FALLBACK = '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>' \
           '<body><h1>{title}</h1><p>{text}</p><p><a href="/">Kembali ke daftar tugas Anda</a></p></body></html>'


def page(request, status: int, text: str | None = None, with_menu: bool = False, typed=None,
         kind: str | None = None) -> HttpResponse:
    title, default = TITLES[kind or status]
    context = {"title": title, "text": text or default, "typed": typed}
    if with_menu:
        # 403 and 404 come from a readable request: show them inside the menu, as any page.
        try:
            body = render_to_string(f"{status}.html", {"exception": text, "typed": typed}, request=request)
            return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
        except Exception:
            logger.exception("Halaman kesalahan %s gagal dibuat dengan menu", status)
    try:
        # No request passed to the template: context processors would read the session and CSRF
        # token, which is what failed on an unreadable body.
        body = render_to_string("error.html", context)
    except Exception:
        logger.exception("Halaman kesalahan %s gagal dibuat", status)
        body = FALLBACK.format(**context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


# A form Django would not read because it was too big: in practice the agency's IKU grid with a
# whole sheet pasted in (8 fields a row, DATA_UPLOAD_MAX_NUMBER_FIELDS reached past about 1,200 rows).
# "Kirim ulang" met the same refusal again, and nothing typed can be given back: Django read none of it.
TOO_MUCH_ADVICE = ("Tidak ada yang tersimpan, dan isiannya tidak dapat ditampilkan ulang di sini. Tabel IKU memuat "
                   "paling banyak {rows} baris: buka lagi halaman IKU, lalu tempel lebih sedikit baris, bagi tabelnya "
                   "menjadi beberapa, atau isi templat XLSX dan muat lewat tombol Muat berkas ke tabel.")


def _too_much(exception) -> str | None:
    if isinstance(exception, TooManyFieldsSent):
        said = (f"Formulir ini mengirim lebih dari {grouped(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)} isian "
                "sekaligus, lebih dari yang dapat dibaca aplikasi.")
    elif isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        said = f"Teks yang dikirim formulir ini (di luar berkas) lebih dari {megabytes} MB, lebih dari yang dapat dibaca aplikasi."
    else:
        return None
    from iku.rows import MAX_ROWS

    return f"{said} {TOO_MUCH_ADVICE.format(rows=MAX_ROWS)}"


def bad_request(request, exception=None):
    too_much = _too_much(exception)
    if too_much is not None:
        return page(request, 400, too_much, kind="too_much")
    return page(request, 400, kind="host" if isinstance(exception, DisallowedHost) else None)


def permission_denied(request, exception=None):
    # Our own refusals (policy) raise PermissionDenied with an Indonesian sentence; Django's carry none.
    message = exception.args[0] if exception is not None and exception.args else None
    # A form refused so (a delegation that ended while it was open) is given back to copy: sending
    # it again would be refused again.
    return page(request, 403, message if isinstance(message, str) else None, with_menu=True,
                typed=typed_back(request, resend=False))


# A signed-in account that holds no role today (the admin took the Kabag's role away on a transfer
# while his return note was open, the only Plt. ended): every dossier is "not found" to it, which
# read as a dossier deleted.
NO_ROLE = ("Akun Anda kini tidak memegang peran apa pun di aplikasi ini (perannya dicabut atau dipindahkan admin, "
           "atau pelimpahan Plh./Plt. Anda sudah berakhir), jadi dosier tidak dapat Anda buka. Hubungi admin Biro "
           "bila ini keliru.")


def _why_not_found(request) -> str | None:
    try:
        from workflow import policy

        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and not policy.roles_of(user) and not policy.is_admin(user):
            return NO_ROLE
    except Exception:
        logger.exception("Peran pengguna tidak terbaca untuk halaman 404")
    return None


def page_not_found(request, exception=None):
    # Never the exception's text: it is English ("No Dossier matches...") or a resolver dump. A form
    # sent to a dossier no longer shared with its sender (their role taken away while it was open) is
    # given back to copy, as a refused one is.
    typed = typed_back(request, resend=False) if request.method == "POST" else None
    return page(request, 404, _why_not_found(request), with_menu=True, typed=typed)


# Seconds a browser or a script is told to wait before trying again while the database is away.
RETRY_AFTER = 5


def server_error(request):
    if request.path_info.startswith("/api/"):
        # A program reads JSON (api/errors.py), never a page offering its form to send again.
        from api.errors import failure_answer

        return failure_answer(request, away=database_away(sys.exc_info()[1]), error=sys.exc_info()[1])
    error = sys.exc_info()[1]
    if advice := refused_connection(error):
        return misconfigured(request, error, advice)
    # A form that failed comes back on the page with everything typed (sop_iku/typed_back.py).
    typed = typed_back(request)
    if database_away(error):
        # The primary stopped or is being replaced (deploy/README.md): a passing state, so 503 with
        # a time to come back, not "an error on the server".
        response = page(request, 503, TYPED_BACK_AWAY if typed and not typed.withheld else None, typed=typed)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return page(request, 500, TYPED_BACK if typed and not typed.withheld else None, typed=typed)


TOLD_BY_MAIL = "Admin aplikasi sudah diberi tahu lewat surel."
TOLD_IN_LOG = "Kesalahan ini sudah tercatat di log server: beri tahu admin Biro."
TYPED_BACK_MISCONFIGURED = ("Isian Anda belum tersimpan. Semua yang Anda ketik ada di bawah ini: salin dahulu, lalu "
                            "kirim lagi setelah admin memperbaiki sambungannya.")


def refused_connection(error) -> str | None:
    """What the admin must check when `error` is PostgreSQL refusing the app's connection string (a
    wrong password, user, database or pg_hba.conf line), which no failover mends; else None."""
    return lasting_refusal(error) if database_away(error) else None


def report_refusal(request, error, advice: str, response: HttpResponse) -> HttpResponse:
    """Log `error` for the admins as the error it is (django.request: mailed to DJANGO_ADMINS as any
    500 is), with what to check, once; `response` is what the request is answered."""
    # libpq's line that says it (one a host: a second host may only have been down).
    said = next((line for line in str(error).splitlines() if lasting_refusal(line)), str(error))
    logging.getLogger("django.request").error(
        "Basis data menolak sambungan aplikasi: %s Setelah diperbaiki, mulai ulang aplikasinya (systemctl restart "
        "sop-iku sop-iku-worker). (%s) %s", advice, said.strip()[:300], request.path,
        exc_info=error, extra={"status_code": response.status_code, "request": request, "failure_kind": advice})
    # Django's own line ("Service Unavailable: /masuk/") would mail the admins again, without the advice.
    response._has_been_logged = True
    return response


def told_admins() -> str:
    return TOLD_BY_MAIL if settings.ADMINS else TOLD_IN_LOG


def misconfigured(request, error, advice: str) -> HttpResponse:
    """The page of a request that met the database refusing the connection string: it says so,
    without a Retry-After, its form given back to copy."""
    typed = typed_back(request, resend=False)
    text = TITLES["misconfigured"][1].format(told=told_admins())
    if typed and not typed.withheld:
        text = f"{text} {TYPED_BACK_MISCONFIGURED}"
    return report_refusal(request, error, advice, page(request, 503, text, typed=typed, kind="misconfigured"))


def database_away(error) -> bool:
    """PostgreSQL could not be reached, dropped the connection, is shutting down or became a standby:
    what a failover looks like from the app. Not a busy row (views.access.kept_when_busy answers
    that), a cancelled query nor SQLite, which has no failover."""
    if not isinstance(error, (OperationalError, InterfaceError, InternalError)):
        return False
    cause = error.__cause__
    if not type(cause).__module__.startswith("psycopg"):
        return False
    # No SQLSTATE: the connection itself failed. Class 08: connection exception. 57P01-03: the
    # server is shutting down or not yet taking connections. 25006: a write reached a standby.
    state = getattr(cause, "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03", "25006")


def csrf_failure(request, reason=""):
    """A form whose token no longer matches (signed out and in again since it was opened): Django's
    page is English and drops what was typed; this one gives it back to copy."""
    return page(request, 403, typed=typed_back(request, resend=False), kind="csrf")


def session_ended(request):
    """A form sent after the session ended (sop_iku.sessions.LoginRequiredKeepingInput)."""
    return page(request, 403, typed=typed_back(request, resend=False), kind="session")
