"""A demonstration certificate authority, so the signing flow runs out of the box: a root the
admin's trust list holds, PKCS#12 files for the institution and for officials, and the two services
a long-term signature needs besides: a timestamp authority (RFC 3161) and the CA's revocation list.
Every name says DEMO: these certificates stand for nobody and must be replaced before real
documents are signed.

The root and the timestamp authority live 30 years and an official's certificate the usual two, so
a record signed today is still verifiable long after its signer's certificate expired. Both the
root's key (it signs the revocation lists) and the authority's key are kept like any certificate,
sealed in SigningCertificate rows (certificates.role tells them from the signing ones).
"""

import datetime as dt
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from naskah import certificates
from naskah.models import SigningCertificate, TrustedRoot

ROOT_NAME = "CA DEMO SOP-IKU (bukan untuk naskah resmi)"
TSA_NAME = "Otoritas Stempel Waktu DEMO SOP-IKU"
ORGANISATION = "DEMO Pemerintah Provinsi Kalimantan Barat"
# The root outlives the timestamp authority it certifies by a year, so the authority's last
# timestamps still chain to a valid root.
ROOT_DAYS = 31 * 365
TSA_DAYS = 30 * 365
SIGNER_DAYS = 730


def _name(common_name: str, organisation: str = ORGANISATION) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ])


def _usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates, content_commitment=not signs_certificates,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=signs_certificates, crl_sign=signs_certificates, encipher_only=False, decipher_only=False,
    )


def _lock(passphrase: str):
    """The PKCS#12 encryption of the demo's files: the file is sealed again at rest
    (certificates.seal) under a random passphrase, so fewer key-derivation rounds than the default
    cost nothing in safety and keep installing the demo (every test does) quick."""
    return (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2048)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
            .build(passphrase.encode()))


def make_root(now=None, *, days: int = ROOT_DAYS, common_name: str = ROOT_NAME, organisation: str = ORGANISATION):
    """(key, certificate) of a new demo root (by default the demo CA's)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, organisation)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signs_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _leaf(root, common_name: str, *, now, days: int, timestamps: bool = False, crl_url: str = ""):
    root_key, root_certificate = root
    key = ec.generate_private_key(ec.SECP256R1())
    organisation = root_certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    builder = (
        x509.CertificateBuilder().subject_name(_name(common_name, organisation)).issuer_name(root_certificate.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signs_certificates=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
    )
    if crl_url:
        # Where the issuer publishes its revocation list: what a renewal fetches it from (RFC 5280 §4.2.1.13).
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None, crl_issuer=None)]),
            critical=False)
    if timestamps:
        # RFC 3161 §2.3: a timestamp authority's certificate names that purpose alone, critical.
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return key, builder.sign(root_key, hashes.SHA256())


def leaf(root, common_name: str, *, now=None, days: int = SIGNER_DAYS, timestamps: bool = False, crl_url: str = ""):
    """(key, certificate) for `common_name`, signed by `root`, in the root's organisation; naming
    `crl_url` as where its revocation list is published, when given."""
    return _leaf(root, common_name, now=now or dt.datetime.now(dt.timezone.utc), days=days, timestamps=timestamps,
                 crl_url=crl_url)


def issue(root, common_name: str, passphrase: str, *, now=None, days: int = SIGNER_DAYS) -> bytes:
    """A PKCS#12 file for `common_name`, signed by `root`, locked with `passphrase`."""
    key, certificate = leaf(root, common_name, now=now, days=days)
    return pkcs12.serialize_key_and_certificates(common_name.encode(), key, certificate, [root[1]], _lock(passphrase))


def issue_timestamp_authority(root, passphrase: str, *, now=None, days: int = TSA_DAYS) -> bytes:
    """A PKCS#12 file for a timestamp authority certified by `root`."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key, certificate = _leaf(root, TSA_NAME, now=now, days=days, timestamps=True)
    return pkcs12.serialize_key_and_certificates(TSA_NAME.encode(), key, certificate, [root[1]], _lock(passphrase))


def root_pkcs12(root, passphrase: str) -> bytes:
    key, certificate = root
    return pkcs12.serialize_key_and_certificates(ROOT_NAME.encode(), key, certificate, None, _lock(passphrase))


def _install(nama: str, data_for, pemilik=None) -> SigningCertificate:
    passphrase = secrets.token_urlsafe(12)
    return certificates.install(nama=nama, data=data_for(passphrase), passphrase=passphrase, pemilik=pemilik)


def install_timestamp_authority(root=None, *, days: int = TSA_DAYS) -> SigningCertificate:
    """A demo timestamp authority certified by `root` (else by the installed demo root)."""
    root = root or certificates.authority_for(_name(ROOT_NAME))
    return _install(f"{TSA_NAME} (demo)", lambda passphrase: issue_timestamp_authority(root, passphrase, days=days))


def install_demo(officials=()) -> TrustedRoot:
    """The demo root trusted and its key kept (it signs the revocation lists), a timestamp
    authority, a certificate for the institution, and one for each of `officials`."""
    root = make_root()
    trusted = certificates.trust(nama=ROOT_NAME, data=root[1].public_bytes(serialization.Encoding.PEM))
    _install(f"{ROOT_NAME} (penerbit daftar pencabutan)", lambda passphrase: root_pkcs12(root, passphrase))
    install_timestamp_authority(root)
    institution = "DEMO Biro Kesejahteraan Rakyat"
    _install(f"{institution} (sertifikat demo)", lambda passphrase: issue(root, institution, passphrase))
    for official in officials:
        name = f"DEMO {official.display_name}"
        _install(f"{official.display_name} (sertifikat demo)", lambda passphrase, name=name: issue(root, name, passphrase),
                 pemilik=official)
    return trusted


def installed() -> bool:
    return SigningCertificate.objects.exists()
