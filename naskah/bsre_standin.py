"""A stand-in for the BSrE TTE service, answering its sign, verify and user-status calls the way
naskah.bsre's sources describe them, errors included, for the tests and the demo: nobody outside
BSSN may sign through the real one, and a test must not reach the internet.

It is a certificate authority of its own ("BSrE DEMO", made at start with demo_ca, 30 years like
the demo's), with a timestamp authority and a revocation list, so what it signs is PAdES B-LTA and
validates wherever its root is trusted. Its CRL is published on its own port (CRL_PATH, named in
every certificate it issues), as BSrE publishes its own: renew_timestamps fetches it from there. Officials are registered with a NIK, a passphrase and a
status ("ISSUE", or "REVOKE" for a revoked certificate). `mode` makes it fail as the real service
can: "mati" answers HTTP 503, "lambat" answers only after `delay` seconds (a client's timeout);
stopped, it refuses connections. `hold_signing` keeps each sign call waiting until `release()`: a
slow service whose moment a test chooses (`signing_held` is set once a call waits). Run it with `manage.py bsre_standin`.
"""

import base64
import email.parser
import email.policy
import hmac
import io
import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization

from naskah import certificates, demo_ca, pades

ROOT_NAME = "BSrE DEMO (tiruan layanan TTE, bukan BSSN)"
ORGANISATION = "DEMO Balai Sertifikasi Elektronik"
# Where the CA publishes its revocation list, without the client account (a CRL is public, and is
# served whatever `mode` the signing service is in, as BSrE publishes it apart from the service).
CRL_PATH = "/crl/bsre-demo.crl"
REASON = "Dokumen ini ditandatangani secara elektronik dengan sertifikat elektronik BSrE (DEMO)"


@dataclass
class Holder:
    nama: str
    passphrase: str
    status: str
    key: object
    certificate: object


class StandIn:
    def __init__(self, *, username: str = "sopiku-demo", password: str | None = None, host: str = "127.0.0.1",
                 port: int = 0, tsa_days: int = demo_ca.TSA_DAYS):
        """Listening on `host`:`port` (0: a free port) from the start, since every certificate it
        issues names where its revocation list is published there; serving once `start`ed."""
        standin = self

        class Handler(_Handler):
            service = standin

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._serving = None
        self.username, self.password = username, password or secrets.token_urlsafe(12)
        self.root = demo_ca.make_root(common_name=ROOT_NAME, organisation=ORGANISATION)
        self.tsa = demo_ca.leaf(self.root, f"Stempel Waktu {ROOT_NAME}"[:64], days=tsa_days, timestamps=True,
                                crl_url=self.crl_url)
        self.holders: dict[str, Holder] = {}
        self.mode, self.delay = "normal", 0.0
        self.signed = 0
        # How many times its CRL was fetched; `crl_down` answers those fetches with HTTP 503.
        self.crl_fetched, self.crl_down = 0, False
        self.hold_signing = False
        self.signing_held = threading.Event()
        self._released = threading.Event()

    @property
    def root_pem(self) -> bytes:
        return self.root[1].public_bytes(serialization.Encoding.PEM)

    def register(self, nik: str, passphrase: str, nama: str, status: str = "ISSUE") -> None:
        key, certificate = demo_ca.leaf(self.root, nama, crl_url=self.crl_url)
        self.holders[nik] = Holder(nama, passphrase, status, key, certificate)

    def start(self) -> str:
        """Serve in a thread; the base URL."""
        self._serving = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._serving.start()
        return self.url

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def crl_url(self) -> str:
        return self.url + CRL_PATH

    def revocation_list(self) -> bytes:
        """The CA's CRL signed now, listing the certificates of holders whose status is not ISSUE."""
        return certificates.revocation_list(self.root, revoked=[
            holder.certificate.serial_number for holder in self.holders.values() if holder.status != "ISSUE"])

    def release(self) -> None:
        """Let the held sign calls (and the "lambat" mode's) answer."""
        self._released.set()

    def stop(self) -> None:
        self._released.set()
        if self._serving is not None:
            self._server.shutdown()
        self._server.server_close()

    # --- the service's answers --------------------------------------------------------------

    def user_status(self, nik: str) -> tuple[int, dict]:
        holder = self.holders.get(nik)
        if holder is None:
            return 200, {"status_code": 1110, "message": "NIK belum terdaftar", "status": "NOT_REGISTERED"}
        return 200, {"status_code": 1111, "message": f"Status sertifikat: {holder.status}", "status": holder.status}

    def sign(self, fields: dict, files: dict) -> tuple[int, dict | bytes]:
        holder = self.holders.get(fields.get("nik", ""))
        if holder is None:
            return 400, {"error": "User tidak terdaftar", "status_code": 2011}
        if not hmac.compare_digest(holder.passphrase.encode(), fields.get("passphrase", "").encode()):
            return 400, {"error": "Passphrase anda salah", "status_code": 2031}
        if holder.status != "ISSUE":
            return 400, {"error": f"Sertifikat user tidak aktif ({holder.status}): sertifikat telah dicabut",
                         "status_code": 2021}
        pdf = files.get("file", b"")
        if not pdf.startswith(b"%PDF"):
            return 400, {"error": "File bukan PDF", "status_code": 2041}
        page, box, style = None, None, None
        if fields.get("tampilan") == "visible" and "imageTTD" in files:
            page, box, style = _visible(fields, files["imageTTD"])
        signed = pades.sign_with(
            pdf, self._signer(holder), style, page=page, box=box,
            stamper=pades.ec_timestamper(*self.tsa, [self.root[1]]), context=self._context, lta=True,
            name=holder.nama, location="", reason=REASON, field=pades.free_field(pdf))
        self.signed += 1
        return 200, signed

    def verify(self, files: dict) -> tuple[int, dict]:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        reader = PdfFileReader(io.BytesIO(files.get("signed_file", b"")), strict=False)
        details = []
        for signature in reader.embedded_regular_signatures:
            status = validate_pdf_signature(signature, ValidationContext(
                trust_roots=[pades._asn1(self.root[1])], allow_fetching=False))
            details.append({"info_signer": {"signer_name": pades.common_name(status.signing_cert),
                                            "issuer_dn": status.signing_cert.issuer.human_friendly},
                            "signature_document": {"integrity": bool(status.intact and status.valid),
                                                   "trusted": bool(status.trusted)}})
        valid = bool(details) and all(d["signature_document"]["integrity"] and d["signature_document"]["trusted"]
                                      for d in details)
        return 200, {"jumlah_signature": len(details), "notes": "Dokumen valid" if valid else "Dokumen tidak valid",
                     "details": details}

    def _signer(self, holder: Holder):
        from asn1crypto import keys
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        key = keys.PrivateKeyInfo.load(holder.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return signers.SimpleSigner(signing_cert=pades._asn1(holder.certificate), signing_key=key,
                                    cert_registry=SimpleCertificateStore.from_certs([pades._asn1(self.root[1])]))

    def _context(self):
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(trust_roots=[pades._asn1(self.root[1])],
                                 other_certs=[pades._asn1(self.tsa[1])],
                                 crls=[self.revocation_list()],
                                 allow_fetching=False, revocation_mode="require")


def _visible(fields: dict, image_png: bytes):
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    x, y = float(fields.get("xAxis", 0)), float(fields.get("yAxis", 0))
    width, height = float(fields.get("width", 0)), float(fields.get("height", 0))
    style = StaticStampStyle(background=PdfImage(Image.open(io.BytesIO(image_png))), background_opacity=1,
                             border_width=0)
    return int(fields.get("page", 1)) - 1, (round(x), round(y), round(x + width), round(y + height)), style


class _Handler(BaseHTTPRequestHandler):
    service: StandIn

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        # Quiet: a request line carries a NIK in the user-status path.
        pass

    def _authorised(self) -> bool:
        expected = base64.b64encode(f"{self.service.username}:{self.service.password}".encode()).decode()
        return hmac.compare_digest(self.headers.get("Authorization", ""), f"Basic {expected}")

    def _answer(self, status: int, body) -> None:
        if isinstance(body, bytes):
            content_type = "application/pdf"
        else:
            body, content_type = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 200 and content_type == "application/pdf":
            self.send_header("id_dokumen", secrets.token_hex(8))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the "lambat" mode's point)

    def _gate(self) -> bool:
        """False when the request was answered already: the service down or slow, or the client
        not authorised."""
        if self.service.mode == "lambat":
            self.service._released.wait(self.service.delay)
        if self.service.mode == "mati":
            self._answer(503, {"error": "Service Unavailable", "status_code": 503})
            return False
        if not self._authorised():
            self._answer(401, {"error": "Unauthorized", "status_code": 401})
            return False
        return True

    def do_GET(self):  # noqa: N802 - the standard library's name
        prefix = "/api/user/status/"
        if self.path == CRL_PATH:
            if self.service.crl_down:
                self._answer(503, {"error": "Service Unavailable", "status_code": 503})
                return
            self.service.crl_fetched += 1
            body = self.service.revocation_list()
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if not self._gate():
            return
        if not self.path.startswith(prefix):
            self._answer(404, {"error": "Not Found", "status_code": 404})
            return
        from urllib.parse import unquote

        self._answer(*self.service.user_status(unquote(self.path[len(prefix):])))

    def do_POST(self):  # noqa: N802 - the standard library's name
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if not self._gate():
            return
        fields, files = _parse_multipart(self.headers.get("Content-Type", ""), body)
        if self.path == "/api/sign/pdf":
            if self.service.hold_signing:
                self.service.signing_held.set()
                self.service._released.wait(60)
            self._answer(*self.service.sign(fields, files))
        elif self.path == "/api/sign/verify":
            self._answer(*self.service.verify(files))
        else:
            self._answer(404, {"error": "Not Found", "status_code": 404})


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields, files = {}, {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = data
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files
