"""The public verification page a document's QR leads to: no login, reached by its unguessable
token alone (one per draft version, one for the signed document: naskah.verification), showing what
the document itself shows (kind, number, date, Hal, addressees, its pages as images) and, for a
draft, that it is not the signed document and what replaced it; and checking an uploaded copy.
Nothing internal to the bureau is shown: not the dossier, no notes.

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
from django.http import Http404, HttpResponse, UnreadablePostError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from lib.dates import long_date, moment_text
from naskah import drafts, pages, prints, record
from naskah.models import OfficeProfile
from naskah.verification import ASLI, GENUINE, Standing, Verdict, Version, lookup, signatures_of, standing, verify
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
# The kinds whose print names whom it is sent to (naskah.record.addressees): the others' context is
# not built just to find nobody (the decree's lists every agency's IKU).
ADDRESSED = (DocKind.UNDANGAN, DocKind.SURAT_SKPD, DocKind.NOTA_DINAS)
# What the document says it is about, by the form field each kind asks it in.
SUBJECTS = (("hal", "Hal"), ("tentang", "Tentang"), ("acara", "Acara"))


CANCELLED_AFTER_SIGNING = (
    "Proses penetapan IKU yang menjadi dasar naskah ini kemudian dibatalkan. Naskah ini tetap asli dan "
    "ditandatangani sebagaimana tercantum, tetapi tidak ditindaklanjuti lagi: bila naskah ini mengundang atau "
    "meminta sesuatu dari Anda, tanyakan dahulu kepada Biro Kesejahteraan Rakyat.")


PDF_HEADER, PDF_HEAD_WITHIN = b"%PDF-", 1024
NOT_A_PDF = ("Berkas ini bukan PDF. Yang dapat dicocokkan hanya berkas PDF naskah elektronik yang Anda terima (misalnya "
             "lewat surel atau SRIKANDI). Foto atau pindaian salinan kertas tidak dapat dicocokkan: bandingkan isinya "
             "dengan halaman naskah di atas.")


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
        # A photo of the paper (what a phone offers first), a Word file: answered "Bukan naskah ini",
        # which read to the holder of a genuine letter as a forgery. A viewer finds a PDF's header
        # anywhere in its first kilobyte.
        upload.seek(0)
        head = upload.read(PDF_HEAD_WITHIN)
        upload.seek(0)
        if PDF_HEADER not in head:
            raise forms.ValidationError(NOT_A_PDF)
        return upload


def found_or_404(token: str) -> Version:
    version = lookup(token)
    if version is None:
        raise Http404("Tidak ada naskah dengan alamat verifikasi ini.")
    return version


def unknown(request):
    """The answer to an address no document made here carries: a QR code of a forged paper, or an
    address typed with one letter wrong. The site's own 404 said only "tidak ada atau tidak
    dibagikan kepada Anda" and offered the signed-in task list, which told the citizen nothing of
    what it means for the paper in hand nor what to do."""
    return render(request, "naskah/verifikasi_tidak_ada.html", {"kantor": OfficeProfile.current()}, status=404)


def shown_pages(version: Version, now: Standing) -> pages.Current:
    """The pages the page shows: the signed document's frozen bytes; the draft being worked on as
    it prints now (paraf boxes filled, as /cetak/ gives it); a replaced or signed draft as it was
    generated, since printing it now would add the paraf given to its successor."""
    made, document = version.record, version.record.document
    if version.final:
        return pages.Current(document, made.final_sha256, True, made.versi)
    if now.current:
        konsep = drafts.of_record(made, document.dossier, None)
        return pages.Current(document, konsep.key, False, made.versi, konsep)
    # The as-generated file, its images kept as pages.current keeps an uploaded file's.
    return pages.Current(document, f"d{document.pk}", False, made.versi)


def content(version: Version, shown: pages.Current) -> dict:
    """What the document says of itself, for a reader to compare with a paper copy: its date, what
    it is about, whom it is addressed to."""
    made = version.record
    dossier = made.document.dossier
    data = record.form_data(made, dossier)
    day = data.get("tanggal_surat") or data.get("tanggal_rapat")
    subject = next(((label, data[name]) for name, label in SUBJECTS if data.get(name)), None)
    if version.final and (made.tujuan_final or made.document.kind in ADDRESSED):
        addressed = record.signed_addressees(made, dossier)
    elif shown.konsep is not None:
        addressed = record.addressees(shown.konsep.context)
    elif made.document.kind in ADDRESSED:
        # A replaced draft.
        addressed = record.addressees(record.context(made, dossier, None, konsep=True))
    else:
        addressed = []
    return {"tanggal": long_date(day) if day else "", "perihal": subject, "tujuan": addressed}


def check_copy(upload, version: Version, stored_signatures) -> Verdict:
    """verify() on the uploaded bytes, hashing them from the upload's chunks first: a copy of this
    very signed file is answered from its hash and the signatures already validated for the page,
    without reading it into memory or validating it a second time."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    if version.final and digest.hexdigest() == version.sha256:
        return Verdict(ASLI, version, tuple(stored_signatures))
    upload.seek(0)
    return verify(upload.read(), expected=version)


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
        found = lookup(token)
        return page(request, found) if found is not None else unknown(request)
    if declared_length(request) > max_bytes() + ENVELOPE:
        return refused(request, token, 413, f"Berkas terlalu besar untuk sebuah naskah. Paling besar "
                       f"{size_text(max_bytes())}; berkas ini tidak dibaca.")
    period = settings.SOP_VERIFY_UPLOAD_MINUTES * 60
    address = limits.address_key(get_client_ip_address(request))
    if not limits.admit(SCOPE, address, settings.SOP_VERIFY_UPLOADS, period):
        return refused(request, token, 429, f"Dari alamat jaringan Anda sudah dikirim {settings.SOP_VERIFY_UPLOADS} "
                       f"berkas dalam {settings.SOP_VERIFY_UPLOAD_MINUTES} menit terakhir, batas pencocokan salinan. "
                       "Coba lagi beberapa menit lagi.", retry_after=period // max(settings.SOP_VERIFY_UPLOADS, 1))
    found = lookup(token)
    if found is None:
        return unknown(request)
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
def page(request, version: Version):
    made = version.record
    stored_signatures = signatures_of(record.served_bytes(made)) if version.final else ()
    now = standing(version)
    shown = shown_pages(version, now)
    count = prints.page_count(shown, made.document.dossier, None)
    verdict = None
    form = CopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = check_copy(form.cleaned_data["berkas"], version, stored_signatures)
    # A genuine file of another version is not a copy of this one: the answer says what it is.
    about_this = verdict is not None and version.same(verdict.version)
    return render(request, "naskah/verifikasi.html", {
        "version": version, "found": made, "kind": version.kind, "now": now,
        "signed_at": moment_text(made.signed_at) if version.final else "",
        "stored_signatures": stored_signatures,
        # A document several people sign (the Notulen: the chair, then who took the minutes) names
        # them all where the record keeps only the first.
        "signers": " dan ".join(check.nama or check.penanda for check in stored_signatures)
        if len(stored_signatures) > 1 else made.signed_by,
        "pages": range(1, count + 1) if count else (), "page_count": count,
        "all_pages": request.GET.get("halaman") == "semua",
        "form": form, "verdict": verdict, "about_this": about_this, "cancelled_after_signing": CANCELLED_AFTER_SIGNING,
        "matches": about_this and verdict.outcome in GENUINE,
        "other": verdict.version if verdict is not None and not about_this and verdict.outcome in GENUINE else None,
    } | content(version, shown))


@login_not_required
@require_GET
def page_image(request, token, number):
    """One page of what a token stands for, as PNG: the pages the verification page shows."""
    version = found_or_404(token)
    now = standing(version)
    shown = shown_pages(version, now)
    dossier = version.record.document.dossier
    if not pages.page_stored(shown, number):
        count = prints.page_count(shown, dossier, None)
        if count is None:
            response = HttpResponse("Gambar halaman sedang disiapkan.", status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "5"
            return response
        if not 1 <= number <= count:
            raise Http404("Halaman ini tidak ada.")
    png = prints.page_png(shown, dossier, None, number)
    if png is None:
        raise Http404("Halaman ini tidak ada.")
    return HttpResponse(png, content_type="image/png")
