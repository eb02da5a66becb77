"""The public verification page a document's QR leads to: no login, reached by its unguessable
token alone, showing only what identifies the document, and checking an uploaded copy.

Anyone may upload, so an upload is let in only step by step, each step refusing before the
costlier one: its declared length (no body read), the address's quota, then one of the few places
for reading and checking copies (SOP_VERIFY_AT_ONCE over all workers), so anonymous uploads never
hold every gunicorn worker away from the signed-in users. Looking at the page stays unlimited.
"""

import datetime as dt
import hashlib
import signal
import threading
from contextlib import contextmanager

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import UnreadablePostError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lib.dates import long_date, moment_text
from naskah import pades, record
from naskah.models import NaskahRecord
from naskah.verification import ASLI, Verdict, verify
from throttle import limits
from workflow.steps import DocKind

# Room in a request for the multipart envelope around the file: boundaries, part headers, the
# CSRF token; a file just over the limit still reaches the form and is told so beside its field.
ENVELOPE = 16 * 1024
# Longer than gunicorn's timeout (60 s), which ends a worker stuck in a request: a place held by a
# worker that was ended frees itself after this.
LEASE = dt.timedelta(seconds=90)
# An upload must have arrived within this, well inside gunicorn's timeout (60 s), which would end
# the worker mid-read with a 500 and leave its place taken until the lease ran out; a client
# trickling its body or gone silent is told instead, and the worker and the place are free again.
READ_SECONDS = 40
SCOPE = "verifikasi"


def max_bytes() -> int:
    return min(settings.SOP_VERIFY_MAX_BYTES, settings.UPLOAD_MAX_BYTES)


def size_text(size: int) -> str:
    """'5 MB', '1,5 MB', '512 KB', as the page tells the limit."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return f"{size} bita"


class CopyForm(forms.Form):
    berkas = forms.FileField(label="Berkas PDF yang akan dicocokkan", error_messages={
        "required": "Pilih berkas PDF yang akan dicocokkan.", "empty": "Berkas kosong."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].help_text = f"Paling besar {size_text(max_bytes())}."

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"Berkas terlalu besar untuk sebuah naskah. Paling besar {size_text(max_bytes())}.")
        return upload


def document_date(found: NaskahRecord) -> str:
    data = record.form_data(found, found.document.dossier)
    day = data.get("tanggal_surat") or data.get("tanggal_rapat")
    return long_date(day) if day else ""


def check_copy(upload, found: NaskahRecord, stored_signatures) -> Verdict:
    """verify() on the uploaded bytes, hashing them from the upload's chunks first: a copy of this
    very signed file is answered from its hash and the signatures already validated for the page,
    without reading it into memory or validating it a second time."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    if found.is_final and digest.hexdigest() == found.final_sha256:
        return Verdict(ASLI, found, "final", tuple(stored_signatures))
    upload.seek(0)
    return verify(upload.read())


def refused(request, token: str, status: int, text: str, retry_after: int | None = None):
    response = render(request, "naskah/verifikasi_ditolak.html", {"token": token, "text": text}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class TooSlow(Exception):
    pass


@contextmanager
def read_within(seconds: float):
    """Raise TooSlow in the block once `seconds` have passed, even inside a blocked read of the
    socket. By an alarm signal, which only the main thread receives: a gunicorn sync worker runs
    each request there; elsewhere (a threaded development server) nothing is bounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def too_slow(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@csrf_exempt  # checked by page() once the upload is let in: the check reads the body.
@login_not_required
def verification_page(request, token):
    if request.method != "POST":
        return page(request, get_object_or_404(NaskahRecord.objects.select_related("document__dossier"), token=token))
    if declared_length(request) > max_bytes() + ENVELOPE:
        return refused(request, token, 413, f"Berkas terlalu besar untuk sebuah naskah. Paling besar "
                       f"{size_text(max_bytes())}; berkas ini tidak dibaca.")
    period = settings.SOP_VERIFY_UPLOAD_MINUTES * 60
    address = limits.address_key(get_client_ip_address(request))
    if not limits.admit(SCOPE, address, settings.SOP_VERIFY_UPLOADS, period):
        return refused(request, token, 429, f"Dari alamat jaringan Anda sudah dikirim {settings.SOP_VERIFY_UPLOADS} "
                       f"berkas dalam {settings.SOP_VERIFY_UPLOAD_MINUTES} menit terakhir, batas pencocokan salinan. "
                       "Coba lagi beberapa menit lagi.", retry_after=period // max(settings.SOP_VERIFY_UPLOADS, 1))
    found = get_object_or_404(NaskahRecord.objects.select_related("document__dossier"), token=token)
    with limits.place(SCOPE, settings.SOP_VERIFY_AT_ONCE, LEASE) as placed:
        if not placed:
            return refused(request, token, 503, "Pencocokan salinan sedang melayani pengunggah lain. Coba lagi "
                           "sebentar lagi.", retry_after=30)
        try:
            with read_within(READ_SECONDS):
                request.FILES  # the whole body read and parsed now, inside the place and the time
        except (TooSlow, UnreadablePostError):
            return refused(request, token, 408, f"Unggahan terputus atau terlalu lambat (berkas harus terkirim "
                           f"dalam {READ_SECONDS} detik), sehingga tidak diterima. Kirim ulang berkasnya.")
        return page(request, found)


@csrf_protect
def page(request, found: NaskahRecord):
    stored_signatures = pades.validate(record.served_bytes(found)) if found.is_final else []
    verdict = None
    form = CopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = check_copy(form.cleaned_data["berkas"], found, stored_signatures)
    # A genuine file of another document is not a copy of this one.
    about_this = verdict is not None and verdict.record is not None and verdict.record.pk == found.pk
    return render(request, "naskah/verifikasi.html", {
        "found": found, "kind": DocKind(found.document.kind).label, "tanggal": document_date(found),
        "signed_at": moment_text(found.signed_at) if found.signed_at else "",
        "form": form, "verdict": verdict, "about_this": about_this,
        "matches": about_this and verdict.outcome == ASLI,
        "stored_signatures": stored_signatures,
    })
