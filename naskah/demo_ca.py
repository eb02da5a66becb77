"""A demonstration certificate authority, so the signing flow runs out of the box: a root the
admin's trust list holds, and PKCS#12 files for the institution and for officials. Every name says
DEMO: these certificates stand for nobody and must be replaced before real documents are signed.
"""

import datetime as dt
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from naskah import certificates
from naskah.models import SigningCertificate, TrustedRoot

ROOT_NAME = "CA DEMO SOP-IKU (bukan untuk naskah resmi)"
ORGANISATION = "DEMO Pemerintah Provinsi Kalimantan Barat"


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ])


def _usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates, content_commitment=not signs_certificates,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=signs_certificates, crl_sign=signs_certificates, encipher_only=False, decipher_only=False,
    )


def make_root(now=None):
    """(key, certificate) of a new demo root, valid ten years."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder().subject_name(_name(ROOT_NAME)).issuer_name(_name(ROOT_NAME))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signs_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def issue(root, common_name: str, passphrase: str, *, now=None, days: int = 730) -> bytes:
    """A PKCS#12 file for `common_name`, signed by `root`, locked with `passphrase`."""
    root_key, root_certificate = root
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(root_certificate.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signs_certificates=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, certificate, [root_certificate],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def install_demo(officials=()) -> TrustedRoot:
    """The demo root trusted, a certificate for the institution, and one for each of `officials`."""
    root = make_root()
    trusted = certificates.trust(nama=ROOT_NAME, data=root[1].public_bytes(serialization.Encoding.PEM))
    institution = "DEMO Biro Kesejahteraan Rakyat"
    passphrase = secrets.token_urlsafe(12)
    certificates.install(nama=f"{institution} (sertifikat demo)", data=issue(root, institution, passphrase),
                         passphrase=passphrase)
    for official in officials:
        passphrase = secrets.token_urlsafe(12)
        name = f"DEMO {official.display_name}"
        certificates.install(nama=f"{official.display_name} (sertifikat demo)", data=issue(root, name, passphrase),
                             passphrase=passphrase, pemilik=official)
    return trusted


def installed() -> bool:
    return SigningCertificate.objects.exists()
