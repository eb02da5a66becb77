"""A client of the BSrE TTE service (Balai Sertifikasi Elektronik, BSSN): the national signing
service that holds Pemprov officials' certificates. The official types their NIK and passphrase at
the moment of signing; this client sends them with the PDF and keeps neither (nothing here logs a
request's fields, and no caller stores them).

The calls and answers follow BSrE's esign-client-service API as public clients use it (no BSSN
document is open to us): HTTP Basic authentication with the client account BSrE gives the
institution; `POST /api/sign/pdf` (multipart: file, nik, passphrase, tampilan, and for a visible
signature image, imageTTD, page, xAxis, yAxis, width, height) answering the signed PDF, else HTTP
400 with JSON {"error": ..., "status_code": ...}; `POST /api/sign/verify` (multipart: signed_file)
answering JSON; `GET /api/user/status/{nik}` answering JSON with `status_code`, `message` and
`status`. Based on github.com/OpenSID/E-Sign-BSrE (src/ESignBsre.php: endpoints, Basic auth,
multipart fields, the JSON error's `message`/`error`) and KiisKepri's PHP client (V1/Esign.php:
visible signing options, /api/user/status/{nik}); the status codes 2011 (user not registered) and
2031 (wrong passphrase) as clients on GitHub test for them. Other refusals are told by their text.
"""

import base64
import json
import secrets
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

WRONG_PASSPHRASE, NOT_REGISTERED = 2031, 2011
# The user-status answers a signer cannot sign with (the certificate is no longer issued to them).
STATUS_REVOKED = ("REVOKE", "REVOKED", "SUSPEND", "EXPIRED")
STATUS_NOT_REGISTERED = ("NOT_REGISTERED",)


class BsreError(Exception):
    """A refusal or failure of the service, told to the signer in Indonesian (`str(error)`)."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(message)
        # The service's own words, for the log (never the request).
        self.detail = detail


class WrongPassphrase(BsreError):
    pass


class NikNotRegistered(BsreError):
    pass


class CertificateRevoked(BsreError):
    pass


class ServiceDown(BsreError):
    """Not reached, timed out, or answered with a server error: nothing was signed."""


DOWN = ("Layanan TTE BSrE sedang tidak dapat dihubungi ({why}); tidak ada yang ditandatangani. "
        "Coba lagi beberapa saat lagi.")


def configured() -> bool:
    return bool(getattr(settings, "SOP_BSRE_URL", ""))


@dataclass(frozen=True)
class Visible:
    """Where the service draws the stamp: page from 1, box in PDF points from the lower left."""

    page: int
    x: float
    y: float
    width: float
    height: float
    image_png: bytes


class Client:
    def __init__(self, base_url: str | None = None, username: str | None = None, password: str | None = None,
                 timeout: float | None = None):
        self.base_url = (base_url if base_url is not None else settings.SOP_BSRE_URL).rstrip("/")
        self.username = username if username is not None else settings.SOP_BSRE_USER
        self.password = password if password is not None else settings.SOP_BSRE_PASSWORD
        self.timeout = timeout if timeout is not None else settings.SOP_BSRE_TIMEOUT

    def user_status(self, nik: str) -> dict:
        """The service's word on `nik`: NikNotRegistered or CertificateRevoked when it cannot sign."""
        answer = self._json(self._call("GET", f"/api/user/status/{urllib.parse.quote(nik, safe='')}"))
        status = str(answer.get("status", "")).upper()
        if status in STATUS_NOT_REGISTERED:
            raise NikNotRegistered(_NOT_REGISTERED_TEXT, detail=str(answer.get("message", "")))
        if status in STATUS_REVOKED:
            raise CertificateRevoked(_revoked_text(status), detail=str(answer.get("message", "")))
        return answer

    def sign_pdf(self, pdf: bytes, *, nik: str, passphrase: str, visible: Visible | None,
                 name: str = "naskah.pdf") -> bytes:
        fields = {"nik": nik, "passphrase": passphrase, "tampilan": "visible" if visible else "invisible"}
        files = {"file": (name, "application/pdf", pdf)}
        if visible is not None:
            fields |= {"image": "true", "page": str(visible.page), "xAxis": f"{visible.x:g}",
                       "yAxis": f"{visible.y:g}", "width": f"{visible.width:g}", "height": f"{visible.height:g}"}
            files["imageTTD"] = ("ttd.png", "image/png", visible.image_png)
        content_type, data = self._call("POST", "/api/sign/pdf", fields=fields, files=files)
        if not content_type.startswith("application/pdf") or not data.startswith(b"%PDF"):
            raise ServiceDown(DOWN.format(why="jawabannya bukan berkas PDF"))
        return data

    def verify(self, pdf: bytes, name: str = "naskah.pdf") -> dict:
        return self._json(self._call("POST", "/api/sign/verify", files={"signed_file": (name, "application/pdf", pdf)}))

    def _call(self, method: str, path: str, *, fields: dict | None = None, files: dict | None = None):
        """(content type, body) of a 200 answer; the matching BsreError otherwise."""
        body, headers = None, {"Accept": "application/json, application/pdf"}
        if fields is not None or files is not None:
            body, content_type = _multipart(fields or {}, files or {})
            headers["Content-Type"] = content_type
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the admin's URL
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            raise _refusal(error.code, error.read()) from None
        except (TimeoutError, socket.timeout):
            raise ServiceDown(DOWN.format(why=f"tidak menjawab dalam {self.timeout:g} detik")) from None
        except (urllib.error.URLError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise ServiceDown(DOWN.format(why=f"tidak menjawab dalam {self.timeout:g} detik")) from None
            raise ServiceDown(DOWN.format(why="sambungan ditolak atau alamatnya tidak terjangkau"),
                              detail=str(reason)) from None

    @staticmethod
    def _json(answer) -> dict:
        try:
            data = json.loads(answer[1])
        except (ValueError, UnicodeDecodeError):
            raise ServiceDown(DOWN.format(why="jawabannya tidak terbaca")) from None
        return data if isinstance(data, dict) else {}


_NOT_REGISTERED_TEXT = ("NIK tersebut tidak terdaftar di BSrE: periksa NIK yang Anda ketik, atau ajukan sertifikat "
                        "elektronik ke BSrE melalui pengelola TTE instansi. Tidak ada yang ditandatangani.")


def _revoked_text(status: str) -> str:
    return (f"Sertifikat elektronik Anda di BSrE tidak aktif ({status.lower()}): tidak dapat dipakai menandatangani. "
            "Hubungi pengelola TTE instansi untuk menerbitkannya kembali. Tidak ada yang ditandatangani.")


def _refusal(status: int, body: bytes) -> BsreError:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    text = str(answer.get("error") or answer.get("message") or "")
    code = answer.get("status_code")
    if status >= 500 or status in (408, 429):
        return ServiceDown(DOWN.format(why=f"HTTP {status}"), detail=text)
    if status in (401, 403):
        return BsreError("Aplikasi ditolak oleh layanan BSrE (akun klien TTE salah atau tidak aktif): minta admin "
                         "memeriksa SOP_BSRE_USER dan SOP_BSRE_PASSWORD. Tidak ada yang ditandatangani.", detail=text)
    lowered = text.lower()
    if code == WRONG_PASSPHRASE or "passphrase" in lowered:
        return WrongPassphrase("Passphrase TTE salah: tidak ada yang ditandatangani. Ketik lagi passphrase sertifikat "
                               "elektronik Anda di BSrE (bukan kata sandi aplikasi ini).", detail=text)
    if code == NOT_REGISTERED or "tidak terdaftar" in lowered:
        return NikNotRegistered(_NOT_REGISTERED_TEXT, detail=text)
    if "cabut" in lowered or "revoke" in lowered:
        return CertificateRevoked(_revoked_text("revoke"), detail=text)
    return BsreError(f"Layanan BSrE menolak penandatanganan: {text or f'HTTP {status}'}. Tidak ada yang ditandatangani.",
                     detail=text)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + str(value).encode() + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
