"""The certificates documents are signed with: installed from a PKCS#12 file and its passphrase,
both kept encrypted at rest, and the one a signer uses today (their own, else the institution's).

The same storage keeps the two services a long-term signature needs when the site runs them itself
(the demo does, naskah/demo_ca.py): a timestamp authority (its certificate is for time-stamping
alone) and a certificate authority whose key signs the revocation list embedded with each
signature. Neither ever signs a document: `role` tells them apart by what their certificate allows.

The encryption key is SOP_SIGNING_KEY when set, else derived from SECRET_KEY: a backup restored
with another key cannot sign, which is what a stolen database should give.
"""

import base64
import datetime as dt
import hashlib

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from naskah.models import SigningCertificate, TrustedRoot

NO_CERTIFICATE = (
    "Anda belum memiliki sertifikat tanda tangan elektronik yang berlaku, dan instansi juga belum. "
    "Minta admin memasangnya di Admin › Sertifikat tanda tangan elektronik, lalu tandatangani lagi."
)
KEY_CHANGED = ("Sertifikat “{nama}” tidak dapat dibuka dengan kunci situs ini: kunci situs (DJANGO_SECRET_KEY, "
               "berkas .secret_key atau SOP_SIGNING_KEY) telah berganti sejak sertifikat itu dipasang.")
UNOPENED = KEY_CHANGED + (" Minta admin memasang kembali kunci yang lama, atau memasang ulang berkas PKCS#12-nya di "
                          "Admin › Sertifikat tanda tangan elektronik.")


def _fernet() -> Fernet:
    secret = settings.SOP_SIGNING_KEY or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"sop-iku sertifikat:{secret}".encode()).digest()))


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(data) -> bytes:
    try:
        return _fernet().decrypt(bytes(data))
    except InvalidToken as error:
        raise ValidationError(
            "Sertifikat tersimpan tidak dapat dibuka dengan kunci situs ini (kunci berganti?); pasang ulang sertifikatnya."
        ) from error


def read_pkcs12(data: bytes, passphrase: str) -> x509.Certificate:
    """The certificate of a PKCS#12 file that opens with `passphrase` and holds its private key."""
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            "Berkas PKCS#12 tidak dapat dibuka: sandinya salah, atau berkas itu bukan .p12/.pfx."
        ) from error
    if key is None or certificate is None:
        raise ValidationError("Berkas PKCS#12 ini tidak memuat kunci privat beserta sertifikatnya.")
    return certificate


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def fill(row: SigningCertificate, data: bytes, passphrase: str) -> None:
    """Open `data` with `passphrase` (ValidationError if it does not open), describe its certificate
    on `row` and keep both sealed there."""
    certificate = read_pkcs12(data, passphrase)
    row.subjek = certificate.subject.rfc4514_string()[:300]
    row.penerbit = certificate.issuer.rfc4514_string()[:300]
    row.nomor_seri = format(certificate.serial_number, "x")[:100]
    row.sidik_sha256 = fingerprint(certificate)
    row.berlaku_mulai = certificate.not_valid_before_utc
    row.berlaku_sampai = certificate.not_valid_after_utc
    row.pkcs12_terenkripsi = seal(data)
    row.sandi_terenkripsi = seal(passphrase.encode())


def install(*, nama: str, data: bytes, passphrase: str, pemilik=None) -> SigningCertificate:
    """Check the file opens with its passphrase and keep both sealed."""
    row = SigningCertificate(nama=nama, pemilik=pemilik)
    fill(row, data, passphrase)
    row.save()
    return row


def usable():
    now = timezone.now()
    return SigningCertificate.objects.filter(aktif=True, berlaku_mulai__lte=now, berlaku_sampai__gt=now)


SIGNS_DOCUMENTS, STAMPS_TIME, SIGNS_CERTIFICATES = "penandatangan", "stempel waktu", "penerbit"
# A row's role by its fingerprint: a certificate's role never changes, and finding it means
# opening the PKCS#12 file (~10 ms), so each process does it once per certificate.
_roles: dict[str, str] = {}


def role_of(certificate: x509.Certificate) -> str:
    try:
        if certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return SIGNS_CERTIFICATES
    except x509.ExtensionNotFound:
        pass
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return SIGNS_DOCUMENTS
    return STAMPS_TIME if list(purposes) == [ExtendedKeyUsageOID.TIME_STAMPING] else SIGNS_DOCUMENTS


def role(row: SigningCertificate) -> str | None:
    """What `row` is for; None when this site's key cannot open it (`UNOPENED`): unusable, not an error
    on every page that looks for a certificate."""
    if row.sidik_sha256 not in _roles:
        try:
            certificate = loaded(row)[1]
        except ValidationError:
            return None
        _roles[row.sidik_sha256] = role_of(certificate)
    return _roles[row.sidik_sha256]


def unopened_for(user) -> list[SigningCertificate]:
    """The valid certificates `user` would sign with (their own, the institution's) that this site's
    key cannot open: why `for_signer` found none, when it is that."""
    return [row for row in usable().filter(Q(pemilik=user) | Q(pemilik__isnull=True)) if role(row) is None]


def unopened() -> list[SigningCertificate]:
    """The valid certificates this site's key cannot open: among them, when no timestamp authority
    or CA is found, the one that was installed (opening it is the only way to know its role)."""
    return [row for row in usable().order_by("nama") if role(row) is None]


def missing_for(user) -> str:
    """Why `user` has no certificate to sign with, in words for them."""
    unopened = unopened_for(user) if user is not None else []
    return UNOPENED.format(nama=unopened[0].nama) if unopened else NO_CERTIFICATE


def for_signer(user) -> SigningCertificate | None:
    """The certificate `user` signs with now: their own valid one, else the institution's."""
    if user is None:
        return None
    # Their own first (the institution's has no owner), the longest valid first within each.
    candidates = (usable().filter(Q(pemilik=user) | Q(pemilik__isnull=True))
                  .order_by(F("pemilik").asc(nulls_last=True), "-berlaku_sampai"))
    return next((row for row in candidates if role(row) == SIGNS_DOCUMENTS), None)


def timestamp_authority() -> SigningCertificate | None:
    """The site's own timestamp authority valid now, the longest-lived first."""
    return next((row for row in usable().order_by("-berlaku_sampai") if role(row) == STAMPS_TIME), None)


def authorities() -> list[tuple]:
    """(key, certificate) of each certificate authority valid now whose key the site holds."""
    return [loaded(row)[:2] for row in usable().order_by("-berlaku_sampai") if role(row) == SIGNS_CERTIFICATES]


def authority_for(name: x509.Name) -> tuple | None:
    return next((held for held in authorities() if held[1].subject == name), None)


def revocation_list(authority, *, now=None, days: int = 7, revoked=()) -> bytes:
    """A CRL (DER) signed by `authority`, (key, certificate), valid `days`, listing the serial
    numbers `revoked`. The site's own CA revokes no certificate (deactivating a row in the admin
    stops its use for signing, which is not a revocation): its empty list signed now is the evidence
    that each certificate it issued was not revoked at signing time."""
    key, certificate = authority
    now = now or dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(certificate.subject)
               .last_update(now - dt.timedelta(minutes=1)).next_update(now + dt.timedelta(days=days))
               .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False))
    for serial in revoked:
        builder = builder.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                                  .revocation_date(now - dt.timedelta(minutes=1)).build())
    return builder.sign(key, hashes.SHA256()).public_bytes(Encoding.DER)


def opened(row: SigningCertificate) -> tuple[bytes, bytes]:
    """The PKCS#12 bytes and its passphrase, unsealed."""
    return unseal(row.pkcs12_terenkripsi), unseal(row.sandi_terenkripsi)


def loaded(row: SigningCertificate) -> tuple:
    """(private key, certificate, other certificates) of `row`'s PKCS#12 file."""
    data, passphrase = opened(row)
    key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase or None)
    return key, certificate, others


def read_root(data: bytes) -> x509.Certificate:
    for load in (x509.load_pem_x509_certificate, x509.load_der_x509_certificate):
        try:
            return load(data)
        except ValueError:
            continue
    raise ValidationError("Berkas ini bukan sertifikat X.509 (PEM atau DER).")


def root_fields(certificate: x509.Certificate) -> dict:
    return {"sertifikat_der": certificate.public_bytes(Encoding.DER), "subjek": certificate.subject.rfc4514_string()[:300],
            "sidik_sha256": fingerprint(certificate), "berlaku_sampai": certificate.not_valid_after_utc}


def trust(*, nama: str, data: bytes) -> TrustedRoot:
    return TrustedRoot.objects.create(nama=nama, **root_fields(read_root(data)))


def trusted_roots_der() -> list[bytes]:
    return [bytes(der) for der in TrustedRoot.objects.filter(aktif=True).values_list("sertifikat_der", flat=True)]
