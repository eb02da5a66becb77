"""A write sent again with the same `Idempotency-Key` writes once: a program that timed out after
the server committed retries safely. The key is recorded beside the write's audit event, in its
transaction, as the pages record their forms' one-time keys (workflow.forms.sent_once); a write
that appends no event (an agency's draft saved by a browser session) is not keyed. The retry is
answered 200 saying so, with the dossier's present ETag; the key of another user, or one sent with
another address or body than the write it keeps, 409."""

import hashlib
import json
from functools import wraps

from rest_framework.response import Response

from api.errors import etag
from workflow.forms.sent_once import KEY_SHAPE, run_keyed
from workflow.models import Dossier
from workflow.models.sent_form import SentForm

HEADER = "Idempotency-Key"
ALREADY = "Permintaan dengan Idempotency-Key ini sudah diterima sebelumnya; tidak dicatat dua kali."
OTHER_REQUEST = ("Idempotency-Key ini sudah dipakai untuk permintaan lain (alamat atau isi yang berbeda); permintaan "
                 "ini tidak dicatat. Kirim ulang hanya permintaan yang sama persis dengan kunci yang sama; untuk "
                 "permintaan baru pakai kunci baru.")
# The pages' words ("Formulir ini sudah dikirim oleh pengguna lain ... Buka lagi formulirnya") told a
# program of a form it never had: it is told what to send instead. Nothing of what the key made.
ANOTHER_USERS = ("Idempotency-Key ini sudah dipakai pengguna lain, jadi permintaan ini tidak dicatat. Kirim lagi "
                 "permintaan yang sama dengan kunci baru buatan Anda sendiri (mis. UUID baru); kunci yang sama dipakai "
                 "hanya untuk mengirim ulang permintaan Anda sendiri.")


def request_digest(request) -> str:
    """What a write asked, as its key keeps it: its address and its JSON body (keys sorted, so a
    retry serialised in another order is the same request)."""
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _earlier(request, key: str, pk) -> Response | None:
    found = SentForm.objects.filter(key=key).values_list("user_id", "request_digest").first()
    if found is None:
        return None
    user_id, digest = found
    if user_id != request.user.pk:
        return Response({"detail": ANOTHER_USERS}, status=409)
    # The same key with other rows (a program reusing its key, or a bug) was answered "already
    # received" and its rows dropped unsaid: the program believed the second table kept.
    if digest and digest != request_digest(request):
        return Response({"detail": OTHER_REQUEST}, status=409)
    dossier = Dossier.objects.filter(pk=pk).first()
    headers = {"ETag": etag(dossier)} if dossier is not None else {}
    return Response({"detail": ALREADY, "sudah_diterima": True}, headers=headers)


def once_per_key(post):
    """Decorate an API view's `post(self, request, pk, ...)` that writes through an audit event."""

    @wraps(post)
    def keyed(self, request, pk, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not KEY_SHAPE.fullmatch(key) or not request.user.is_authenticated:
            return post(self, request, pk, *args, **kwargs)
        answer = _earlier(request, key, pk)
        if answer is not None:
            return answer
        _, answer = run_keyed(key, request.user.pk, lambda: post(self, request, pk, *args, **kwargs),
                              lambda: _earlier(request, key, pk), request_digest(request))
        return answer

    return keyed
