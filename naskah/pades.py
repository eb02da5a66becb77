"""PAdES signatures on the documents signed here (pyHanko): signing a final PDF in the box its
signature block reserves, keeping it verifiable for the record's retention period, and reading back
every signature a PDF carries: who, when, whether the bytes it covers are unchanged, whether the
file changed after it, and whether the certificate chains to a root the admin trusts.

A signature outlives its certificate only with evidence embedded beside it (PAdES B-LTA): an RFC
3161 timestamp on the signature (it existed while the certificate was valid), the chain and a
revocation list of that moment (it was not revoked then), and a document timestamp over all of it.
Each timestamp is trusted only while its authority's certificate is, so before that one expires
`manage.py renew_timestamps` adds the validation data of the newest timestamp and a new document
timestamp over it (`renewal` says when); it also completes a B-T signature (timestamped, but signed
when no revocation data was to be had). Without a timestamp authority a signature is B-B, checkable
only while its certificate is valid, and stays so: nothing added later proves it older (`_level`).

Nothing is fetched while validating (offices may be offline): revocation is checked only as far as
the file itself carries it. A renewal fetches the revocation lists that certificates of other CAs
name (BSrE's) from where they say, as it must to embed fresh evidence for them.
"""

import asyncio
import contextvars
import io
import logging
import re
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from lib.dates import local, long_date, moment_text
from naskah import certificates

FIELD = "TandaTanganElektronik"
# The box of the signature block's free space (naskah/_ttd.html) that the visible stamp fills.
STAMP_BOX_ID = "ruang-ttd-elektronik"
# The newest timestamp is renewed this long before its authority's certificate expires: a renewal
# can then fail for weeks (an authority offline, a server down) and still come in time.
RENEW_BEFORE = timedelta(days=180)
DOCUMENT_TIMESTAMP = "/DocTimeStamp"

log = logging.getLogger("sop_iku.timestamps")


class _ExpectedWarning(logging.Filter):
    """pyHanko warns on every signing that embeds validation data without fetching it; here the
    data is the revocation list the site made itself a moment before, so the warning says nothing."""

    def filter(self, record):
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_ExpectedWarning())
_validating = contextvars.ContextVar("validating", default=False)


class _WhileValidating(logging.Filter):
    """AdES validation reaches its verdict by trying and failing (the current-time check of a
    certificate that expired years ago, then the check in the past); pyHanko logs each try with its
    traceback. Those are steps, not faults: the verdict is in the Check."""

    def filter(self, record):
        return not _validating.get() or record.levelno >= logging.ERROR


for _name in ("pyhanko.sign.validation.generic_cms", "pyhanko.sign.validation.ades"):
    logging.getLogger(_name).addFilter(_WhileValidating())


class NoTimestampAuthority(Exception):
    pass


@dataclass(frozen=True)
class Signer:
    nama: str
    jabatan: str
    nip: str
    kota: str


def _asn1(certificate):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


# The trusted roots as one `validate` read them: every signature of the document is checked against
# the same roots, read once, not once per signature.
_roots_read = contextvars.ContextVar("roots_read", default=None)


def _trust_roots() -> list:
    from asn1crypto import x509 as asn1_x509

    read = _roots_read.get()
    if read is not None:
        return read
    return [asn1_x509.Certificate.load(der) for der in certificates.trusted_roots_der()]


def ec_timestamper(key, certificate, others=()):
    """A timestamper signing in-process with `key` and `certificate` (cryptography objects):
    pyHanko's DummyTimeStamper answers each request itself, but signs with RSA only, and the demo's
    keys are EC (fast to make in every test)."""
    from asn1crypto import algos, cms, core, keys
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from pyhanko.sign import general
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    class EcTimeStamper(DummyTimeStamper):
        def _sign_tst_info(self, tst_info_data, md_algorithm, dt):
            digest = hashes.Hash(getattr(hashes, md_algorithm.upper())())
            digest.update(tst_info_data)
            signed_attrs = cms.CMSAttributes([
                general.simple_cms_attribute("content_type", "tst_info"),
                general.simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                general.simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
                general.simple_cms_attribute("message_digest", digest.finalize()),
            ])
            key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                return super()._sign_tst_info(tst_info_data, md_algorithm, dt)
            return key.sign(signed_attrs.dump(), ec.ECDSA(getattr(hashes, md_algorithm.upper())())), signed_attrs

        def _build_signed_data(self, tst_info_data, md_algorithm, signature, signed_attrs):
            data = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
            if self.tsa_cert.public_key.algorithm == "ec":
                data["signer_infos"][0]["signature_algorithm"] = algos.SignedDigestAlgorithm(
                    {"algorithm": f"{md_algorithm}_ecdsa"})
            return data

    key_info = keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return EcTimeStamper(tsa_cert=_asn1(certificate), tsa_key=key_info,
                         certs_to_embed=[_asn1(other) for other in others or ()], override_md="sha256")


def _site_timestamper():
    """A timestamper signing with the site's own authority (certificates.timestamp_authority)."""
    row = certificates.timestamp_authority()
    if row is None:
        return None
    return ec_timestamper(*certificates.loaded(row))


def _url_timestamper(url: str):
    """An RFC 3161 client over HTTP(S) with the standard library (pyHanko's needs `requests`)."""
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers

    class UrlTimeStamper(TimeStamper):
        def _post(self, body: bytes) -> bytes:
            request = urllib.request.Request(url, data=body, headers=set_tsp_headers({}), method="POST")
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - the admin's URL
                if response.headers.get("Content-Type") != "application/timestamp-reply":
                    raise TimestampRequestError("Jawaban otoritas stempel waktu bukan application/timestamp-reply.")
                return response.read()

        async def async_request_tsa_response(self, req):
            return tsp.TimeStampResp.load(await asyncio.to_thread(self._post, req.dump()))

    return UrlTimeStamper()


def timestamper():
    """The timestamp authority signatures are stamped by: SOP_TSA_URL when set (an independent
    one, what a real deployment uses), else the site's own (the demo's); None without either."""
    url = getattr(settings, "SOP_TSA_URL", "")
    return _url_timestamper(url) if url else _site_timestamper()


def _context(*, extra=(), published=()):
    """What signing and renewing embed: the trusted roots, certificates the chains may need, a
    revocation list signed now by each CA whose key the site holds, and `published` ones fetched
    from other CAs (_published_crls). Other revocation data is fetched only where a timestamp
    authority is reached over the network (SOP_TSA_URL): a server without one is taken to be
    offline."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=_trust_roots(), other_certs=list(extra),
        crls=[certificates.revocation_list(authority) for authority in certificates.authorities()] + list(published),
        allow_fetching=bool(getattr(settings, "SOP_TSA_URL", "")),
        # Revocation data is required, as validation requires it: without, signing falls back to
        # B-T and the renewal tries again, instead of embedding evidence that proves nothing.
        revocation_mode="require",
    )


def _signing_failures() -> tuple:
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

    return SigningError, TimestampRequestError, PathBuildingError, PathValidationError, ValidationError, OSError


def stamp_lines(signer: Signer, at: datetime, *, institution: str = "") -> list[str]:
    """The visible stamp's text, one line each: whose certificate signed, who signed and as what,
    when. With the institution's certificate (no own one), the stamp names it: the official signs
    "a.n." the institution holding the certificate."""
    lines = ["Ditandatangani secara elektronik", f"a.n. {institution}" if institution else "", signer.nama,
             signer.jabatan[:60], signer.nip, moment_text(at)]
    return [line for line in lines if line]


def sign(pdf: bytes, row, signer: Signer, *, page: int | None, box: tuple | None, at: datetime,
         lta: bool = True, field: str = FIELD) -> bytes:
    """`pdf` signed with certificate `row` in signature field `field` (filled if `pdf` has it empty,
    else made), with the visible stamp in `box` of `page` when the document reserved one (else an
    invisible signature): PAdES B-LTA when a timestamp authority is there (B-LT with `lta` False),
    else B-B (see sign_with)."""
    from pyhanko.sign import signers
    from pyhanko.stamp import TextStampStyle

    data, passphrase = certificates.opened(row)
    simple = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase or None)
    institution = common_name(simple.signing_cert) if row.pemilik_id is None else ""
    text = "\n".join(line.replace("%", "%%") for line in stamp_lines(signer, at, institution=institution))
    font = _stamp_text_style()
    style = TextStampStyle(stamp_text=text, border_width=0, **({"text_box_style": font} if font else {}))
    return sign_with(pdf, simple, style, page=page, box=box,
                     stamper=timestamper(), context=lambda: _context(extra=simple.cert_registry), lta=lta,
                     field=field, name=signer.nama, location=signer.kota, reason=f"Ditandatangani oleh {signer.jabatan}")


# The stamp's font, embedded in the PDF (a PDF/A file and any reader then draw the same letters):
# Arial's metric twin as the print uses, else DejaVu Sans (.ci/run installs it where neither is).
STAMP_FONTS = ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _stamp_text_style():
    from pyhanko.pdf_utils.text import TextBoxStyle

    from naskah.stamp_font import ThousandthsGlyphAccumulatorFactory

    path = next((candidate for candidate in STAMP_FONTS if Path(candidate).is_file()), None)
    if path is None:
        log.warning("Huruf stempel (%s) tidak ada: stempel memakai huruf bawaan PDF yang tidak disematkan.",
                    " atau ".join(STAMP_FONTS))
        return None
    return TextBoxStyle(font=ThousandthsGlyphAccumulatorFactory(path), font_size=8)


def sign_with(pdf: bytes, simple, style, *, page: int | None, box: tuple | None, stamper, context, lta: bool,
              name: str, location: str, reason: str, field: str = FIELD) -> bytes:
    """`pdf` signed by pyHanko signer `simple`, its appearance `style` in `box` of `page` (else
    invisible), timestamped by `stamper` with the validation data `context()` gives. Neither a chain
    that does not validate yet (its root not trusted, no revocation data to be had) nor a timestamp
    authority that does not answer stops the signing: the signature is then B-T (renew_timestamps
    adds the rest later) or, failing the timestamp, B-B, said in the log."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    def signed(stamper, *, embed: bool) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if field not in empty_fields(pdf):
            fields.append_signature_field(
                writer, fields.SigFieldSpec(field, on_page=page or 0, box=box if page is not None else None))
        long_term = {}
        if embed:
            long_term = {"embed_validation_info": True, "use_pades_lta": lta, "validation_context": context()}
        meta = signers.PdfSignatureMetadata(
            field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
            name=name, location=location, reason=reason, **long_term,
        )
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=simple, timestamper=stamper, stamp_style=style).sign_pdf(writer, output=out)
        return out.getvalue()

    if stamper is not None:
        try:
            return signed(stamper, embed=True)
        except _signing_failures() as error:
            log.warning("Data validasi untuk tanda tangan %s tidak didapat (%s: %s): ditandatangani dengan stempel "
                        "waktu saja (PAdES B-T); renew_timestamps melengkapinya.", name, type(error).__name__, error)
        try:
            return signed(stamper, embed=False)
        except _signing_failures() as error:
            log.warning("Otoritas stempel waktu gagal (%s: %s).", type(error).__name__, error)
    log.warning("Tanpa stempel waktu: tanda tangan %s PAdES B-B, hanya dapat diverifikasi selama sertifikatnya "
                "berlaku.", name)
    return signed(None, embed=False)


def _field_names(pdf: bytes, filled_status: bool | None = None) -> list[str]:
    """The names of `pdf`'s signature fields: all, or only the signed (True) or unsigned (False)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    return [name for name, _, _ in enumerate_sig_fields(PdfFileReader(io.BytesIO(pdf), strict=False),
                                                        filled_status=filled_status)]


def empty_fields(pdf: bytes) -> list[str]:
    """The names of the signature fields `pdf` holds unsigned: a place left for a later signer."""
    return _field_names(pdf, filled_status=False)


def free_field(pdf: bytes, preferred: str = FIELD) -> str:
    """`preferred`, or a name like it that no signature field of `pdf` has yet."""
    taken = set(_field_names(pdf))
    return next(name for name in (preferred, *(f"{preferred}{n}" for n in range(2, 100))) if name not in taken)


def with_empty_fields(pdf: bytes, places) -> bytes:
    """`pdf` with an unsigned signature field for each (name, page from 0, box) of `places`, as an
    incremental update made before the first signature: each later signer fills their own, where the
    page left room for their stamp, and the first signature covers where they go."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    if not places:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for name, page, box in places:
        fields.append_signature_field(writer, fields.SigFieldSpec(name, on_page=page, box=box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def field_place(pdf: bytes, name: str) -> tuple[int | None, tuple | None]:
    """(page from 0, box) of signature field `name`'s widget in `pdf`; (None, None) without one."""
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annot in page.get("/Annots") or ():
            widget = annot.get_object()
            if widget.get("/T") == name or widget.get("/Parent", {}).get("/T") == name:
                return number, tuple(round(float(v)) for v in widget["/Rect"])
    return None, None


def signed_fields(pdf: bytes) -> list[str]:
    """The fields of `pdf`'s signatures (not its document timestamps), in signing order."""
    reader = _reader(pdf)
    return [signature.field_name for signature in _split(reader)[0]] if reader is not None else []


def signature_values(pdf: bytes) -> list[bytes]:
    """The signature values (the CMS each signature dictionary holds) of `pdf`'s signatures, in
    signing order: what stays the same in a copy whose other bytes were changed."""
    reader = _reader(pdf)
    return [bytes(signature.pkcs7_content) for signature in _split(reader)[0]] if reader is not None else []


@dataclass(frozen=True)
class Check:
    """One signature as a person reads it."""

    penanda: str
    waktu: str
    # The signed bytes are those the signature was made over.
    utuh: bool
    # Nothing was added or changed in the file after the signature (a timestamp and validation
    # data added for the long term change nothing signed).
    tanpa_perubahan: bool
    tepercaya: bool
    # "PAdES B-B", "-T", "-LT" or "-LTA": what the file carries for checking it later.
    tingkat: str = ""
    # Until when the evidence the file carries can be checked ("" if unknown).
    terverifikasi_sampai: str = ""
    # Why it is not trusted, when it is not.
    masalah: str = ""
    # The signature field it fills (which signer of a document several sign: naskah.cosign).
    kolom: str = ""
    # Who signed, as the signature names them (the certificate may be the institution's).
    nama: str = ""
    # As whom, on a document several sign ("Pencatat"; naskah.verification fills it).
    sebagai: str = ""

    @property
    def siapa(self) -> str:
        """'Pencatat: Andi Saputra, S.Kom. (sertifikat DEMO Biro Kesejahteraan Rakyat)'."""
        who = f"{self.nama} (sertifikat {self.penanda})" if self.nama and self.nama not in self.penanda else self.penanda
        return f"{self.sebagai}: {who}" if self.sebagai else who

    @property
    def sah(self) -> bool:
        return self.utuh and self.tanpa_perubahan and self.tepercaya

    @property
    def kesimpulan(self) -> str:
        if not self.utuh:
            return "Tidak sah: isi berkas berubah sesudah ditandatangani."
        if not self.tanpa_perubahan:
            return "Tanda tangan utuh, tetapi berkas ditambah atau diubah sesudah ditandatangani."
        if not self.tepercaya:
            return f"Tanda tangan utuh, tetapi {self.masalah or NOT_CHAINED}."
        text = "Sah: utuh, tidak berubah sejak ditandatangani, sertifikat berantai ke akar tepercaya."
        if self.tingkat.endswith(("-LT", "-LTA")):
            text += (f" Bertanda waktu dan memuat data validasinya ({self.tingkat})"
                     + (f": dapat diverifikasi sampai {self.terverifikasi_sampai}." if self.terverifikasi_sampai else "."))
        return text


NOT_CHAINED = "sertifikatnya tidak berantai ke sertifikat akar yang dipercaya admin"
UNREADABLE = Check("(tidak terbaca)", "", False, False, False)


def common_name(certificate) -> str:
    subject = certificate.subject
    return subject.native.get("common_name") or subject.human_friendly


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _expiry(certificate) -> datetime:
    return certificate["tbs_certificate"]["validity"]["not_after"].native


def day_text(moment: datetime) -> str:
    return long_date(local(moment).date())


def _signature_timestamps(signature) -> list:
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    return list(extract_tst_data_iter(signature.signer_info, signed=False))


def _has_dss(reader) -> bool:
    return "/DSS" in reader.root


@dataclass(frozen=True)
class Evidence:
    """What a signed file carries for the long term, read without validating anything."""

    level: str
    # Until when its newest evidence can be checked: the newest document timestamp's authority
    # certificate, else the signature timestamp's, else the signer's certificate.
    horizon: datetime | None
    document_timestamps: int
    # The earliest expiry among the signers' certificates (what a file without a document
    # timestamp must be renewed before).
    signer_expiry: datetime | None


def _level(signature, reader, stamps) -> str:
    """The PAdES level a signature reaches. Without a timestamp on the signature itself it is B-B
    whatever follows: pyHanko's AdES validation (rightly, ETSI EN 319 102-1 §5.5) proves a
    signature's time by its own timestamp, so a document timestamp added later upgrades nothing."""
    if not _signature_timestamps(signature):
        return "PAdES B-B"
    if any(stamp.signed_revision > signature.signed_revision for stamp in stamps):
        return "PAdES B-LTA"
    return "PAdES B-LT" if _carries_revocation_for(reader, signature) else "PAdES B-T"


def _carries_revocation_for(reader, signature) -> bool:
    """Whether the file's document security store holds revocation data for the signer's
    certificate: a CRL of its issuer, or OCSP responses. A second signature made beside a first
    one's validation data (BSrE's, which did not add its own) is B-T, not B-LT."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    if not _has_dss(reader):
        return False
    store = DocumentSecurityStore.read_dss(reader)
    issuer = signature.signer_cert.issuer
    return bool(store.ocsps) or any(
        asn1_crl.CertificateList.load(ref.get_object().data)["tbs_cert_list"]["issuer"] == issuer
        for ref in store.crls)


def _timestamp_signer(token) -> object | None:
    from pyhanko.sign.general import extract_certificate_info

    try:
        return extract_certificate_info(token).signer_cert
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def evidence(data: bytes) -> Evidence | None:
    """None for a file with no signature or that is no PDF."""
    reader = _reader(data)
    if reader is None:
        return None
    signatures, stamps = _split(reader)
    if not signatures:
        return None
    signer_expiry = min(_expiry(signature.signer_cert) for signature in signatures)
    levels = [_level(signature, reader, stamps) for signature in signatures]
    if "PAdES B-B" in levels:
        horizon = signer_expiry
    elif stamps:
        horizon = _expiry(stamps[-1].signer_cert)
    else:
        tokens = [_timestamp_signer(token) for signature in signatures for token in _signature_timestamps(signature)]
        horizon = min((_expiry(cert) for cert in tokens if cert is not None), default=signer_expiry)
    return Evidence(level=" / ".join(sorted(set(levels))), horizon=horizon, document_timestamps=len(stamps),
                    signer_expiry=signer_expiry)


@dataclass(frozen=True)
class Renewal:
    due: bool
    # Why, in a sentence (for the command's output and the log).
    why: str
    evidence: Evidence | None = None
    # No renewal can make it verifiable past its certificate (B-B, or renewed too late).
    stuck: bool = False


def renewal(data: bytes, *, now: datetime | None = None, before: timedelta = RENEW_BEFORE) -> Renewal:
    """Whether `data` needs a new document timestamp now: a timestamped signature without any is due
    at once (while its signer's certificate is still valid: the validation data embedded then must
    show it valid); one with is due `before` its newest timestamp's authority certificate expires.
    A B-B signature cannot be helped (see _level)."""
    now = now or timezone.now()
    found = evidence(data)
    if found is None:
        return Renewal(False, "tidak bertanda tangan")
    if "PAdES B-B" in found.level:
        return Renewal(False, "PAdES B-B: tanda tangannya tidak bertanda waktu, dapat diverifikasi hanya selama "
                              f"sertifikatnya berlaku (sampai {day_text(found.signer_expiry)})", found, stuck=True)
    if found.document_timestamps == 0 or "PAdES B-T" in found.level:
        if found.signer_expiry <= now:
            return Renewal(False, "terlambat: sertifikat penanda tangan sudah berakhir tanpa stempel waktu dokumen",
                           found, stuck=True)
        return Renewal(True, "belum ada stempel waktu dokumen" if found.document_timestamps == 0 else
                       "tanda tangan yang dibubuhkan sesudah stempel waktu dokumen belum memuat data validasinya", found)
    if found.horizon <= now:
        return Renewal(False, f"terlambat: stempel waktu terbaru sudah tidak dapat diverifikasi sejak "
                              f"{day_text(found.horizon)}", found, stuck=True)
    if found.horizon - before <= now:
        return Renewal(True, f"stempel waktu terbaru hanya dapat diverifikasi sampai {day_text(found.horizon)}",
                       found)
    return Renewal(False, f"belum perlu: dapat diverifikasi sampai {day_text(found.horizon)}", found)


def no_authority_text() -> str:
    """Why there is no timestamp authority. After the site's key changed, the installed one is still
    listed, active, in the admin: "none installed" would send the operator looking for nothing."""
    locked = certificates.unopened()
    if not locked:
        return "Belum ada otoritas stempel waktu (SOP_TSA_URL, atau yang dipasang di admin)."
    names = ", ".join(f"“{row.nama}”" for row in locked)
    return (f"Tidak ada otoritas stempel waktu yang dapat dipakai: SOP_TSA_URL tidak diisi, dan sertifikat terpasang "
            f"{names} tidak dapat dibuka dengan kunci situs ini (DJANGO_SECRET_KEY, berkas .secret_key atau "
            "SOP_SIGNING_KEY berganti sejak dipasang). Pasang kembali kunci yang lama, atau pasang ulang berkas "
            "PKCS#12 otoritas itu di Admin › Sertifikat tanda tangan elektronik, atau isi SOP_TSA_URL.")


def renew(data: bytes) -> bytes:
    """`data` with the validation data of its newest evidence and a new document timestamp over
    it, as incremental updates (what was signed stays byte for byte). NoTimestampAuthority when
    there is none; pyHanko's errors when the newest evidence does not validate any more."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import PdfTimeStamper
    from pyhanko.sign.validation import add_validation_info

    stamper = timestamper()
    if stamper is None:
        raise NoTimestampAuthority(no_authority_text())
    reader = PdfFileReader(io.BytesIO(data))
    carried = [*_certificates_in(reader), *getattr(stamper, "certs_to_embed", ())]
    context = _context(extra=carried, published=_published_crls(carried))
    signatures, stamps = _split(reader)
    # Signatures without their own chain and revocation data get them first: all of a B-T/B-LT
    # file's, else those made after the newest document timestamp without them (BSrE's beside one
    # made here); then a document timestamp gives them a proof of existence.
    completing = ([index for index, signature in enumerate(signatures)
                   if _level(signature, reader, stamps) == "PAdES B-T"] if stamps else list(range(len(signatures))))
    # The evidence the new timestamp covers must be shown valid now: pyHanko would embed what it
    # found and go on without, and a renewal without its revocation data proves nothing later.
    for certificate in [*([stamps[-1].signer_cert] if stamps else []), *(signatures[i].signer_cert for i in completing)]:
        _require_revocation_data(certificate, context)
    completed = data
    for index in completing:
        current = PdfFileReader(io.BytesIO(completed))
        # Without a VRI entry (optional in PAdES, and read by nobody here): adding one next to those a
        # later document timestamp's validation rewrites is a change pyHanko's diff analysis refuses.
        completed = add_validation_info(current.embedded_regular_signatures[index], context,
                                        add_vri_entry=not stamps, output=io.BytesIO()).getvalue()
    if stamps and completing:
        # The newest document timestamp's validation data too, without rewriting the VRI entry it
        # has (a change the signatures made since would count against it); then a new one.
        current = PdfFileReader(io.BytesIO(completed))
        completed = add_validation_info(_split(current)[1][-1], context, add_vri_entry=False,
                                        output=io.BytesIO()).getvalue()
    elif stamps:
        out = io.BytesIO()
        PdfTimeStamper(stamper).update_archival_timestamp_chain(PdfFileReader(io.BytesIO(completed)), context,
                                                                in_place=False, output=out)
        before, after = evidence(data).horizon, evidence(out.getvalue()).horizon
        if after <= before:
            # A timestamp that expires no later than the one it covers would be renewed again
            # at every run, and protect nothing longer.
            raise NoTimestampAuthority(
                f"Sertifikat otoritas stempel waktu berakhir {day_text(after)}, tidak lebih lama dari stempel waktu "
                f"terbaru berkas ini ({day_text(before)}): pasang otoritas yang sertifikatnya berlaku lebih lama.")
        return out.getvalue()
    writer = IncrementalPdfFileWriter(io.BytesIO(completed))
    stamped = io.BytesIO()
    PdfTimeStamper(stamper).timestamp_pdf(writer, "sha256", validation_context=context, output=stamped)
    return stamped.getvalue()


class NoRevocationData(Exception):
    pass


def _require_revocation_data(certificate, context) -> None:
    """NoRevocationData unless `certificate` validates now with revocation data for its chain."""
    from pyhanko_certvalidator import CertificateValidator

    try:
        asyncio.run(CertificateValidator(certificate, validation_context=context).async_validate_usage(set()))
    except _signing_failures() as error:
        raise NoRevocationData(
            f"Sertifikat {common_name(certificate)} tidak dapat dibuktikan berlaku sekarang, dengan data "
            f"pencabutannya ({type(error).__name__}: {error}): berkas tidak diperbarui, dicoba lagi kemudian.") from None


def _certificates_in(reader) -> list:
    """The certificates a signed file carries: each signature's and timestamp's signer and the
    others beside it, and those of its document security store."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    found = []
    for signature in reader.embedded_signatures:
        found += [signature.signer_cert, *signature.other_embedded_certs]
    dss = DocumentSecurityStore.read_dss(reader) if _has_dss(reader) else None
    return found + (list(dss.load_certs()) if dss is not None else [])


def _published_crls(found) -> list[bytes]:
    """The revocation lists the certificates `found` say their issuers publish (CRL distribution
    points over HTTP), fetched now: the evidence a renewal embeds for a CA whose key is not held here
    (BSrE's, whose list is on its server). A list that cannot be fetched is logged and left out: the
    renewal then does not validate, keeps the old file and is tried again at the next run."""
    urls = []
    for certificate in found:
        for point in certificate.crl_distribution_points or ():
            url = point.url
            if url and url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
    fetched = []
    for url in urls:
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - http(s) only, from a trusted chain
                fetched.append(response.read())
        except OSError as error:
            log.warning("Daftar pencabutan %s tidak dapat diambil (%s: %s).", url, type(error).__name__, error)
    return fetched


def earlier_state(current: bytes, copy: bytes) -> list[str] | None:
    """Whether `copy` is `current` as it was at an earlier moment, and which signature fields were
    signed since then: a byte prefix ending where one of its revisions ends, carrying at least one
    of its signatures, after which `current` adds only validation data, document timestamps and
    signatures filling their own fields. [] for a copy downloaded before renew_timestamps appended
    to the record (the same signed document, though its SHA-256 is no longer the stored one);
    ["TandaTanganPencatat"] for a Notulen saved while it awaited its Pencatat. None when `copy` is
    no such state."""
    if not (len(copy) < len(current) and current.startswith(copy) and _ends_at_a_revision(copy)):
        return None
    reader, earlier = _reader(current), _reader(copy)
    if reader is None or earlier is None:
        return None
    signatures, _ = _split(reader)
    had = len(_split(earlier)[0])
    if not 0 < had <= len(signatures):
        return None
    if not all(_only_approved_updates(signature, reader) for signature in signatures):
        return None
    # A prefix: its signatures are the first ones of `current`, byte for byte.
    return [signature.field_name for signature in signatures[had:]]


def cut_short(whole: bytes, part: bytes) -> bool:
    """Whether `part` is `whole` broken off on its way (a download or an attachment cut short): its
    first bytes, ending where none of its revisions ends (an earlier revision is a whole file, told
    apart by earlier_state)."""
    return len(part) < len(whole) and whole.startswith(part) and not _ends_at_a_revision(part)


def _reader(data: bytes):
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.embedded_signatures  # noqa: B018 - reads them now, where a broken file fails
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, OSError):
        return None
    return reader


def _split(reader) -> tuple[list, list]:
    """(signatures, document timestamps), each in signing order."""
    embedded = reader.embedded_signatures
    return ([s for s in embedded if s.sig_object_type != DOCUMENT_TIMESTAMP],
            [s for s in embedded if s.sig_object_type == DOCUMENT_TIMESTAMP])


def validate(data: bytes, *, moment: datetime | None = None) -> list[Check]:
    """Every signature in `data` (document timestamps are evidence for them, not signatures); []
    for a file with none or that is no PDF. With `moment`, each is validated as of that moment (is
    the record still verifiable then?), else as of now."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign.validation.errors import SignatureValidationError

    reader = _reader(data)
    if reader is None:
        return []
    signatures, stamps = _split(reader)
    moment = _aware(moment)
    checks = []
    # Read before either mark is set: should reading them fail, neither outlives this call.
    roots = _roots_read.set(_trust_roots() if signatures else None)
    quiet = _validating.set(True)
    try:
        for signature in signatures:
            try:
                checks.append(_check(signature, reader, stamps, moment))
            except (SignatureValidationError, PdfReadError, ValueError, KeyError, TypeError):
                checks.append(UNREADABLE)
    finally:
        _roots_read.reset(roots)
        _validating.reset(quiet)
    return checks


def _check(signature, reader, stamps, moment) -> Check:
    level = _level(signature, reader, stamps)
    if level in ("PAdES B-B", "PAdES B-T"):
        # No validation data embedded: the certificate is checked as it stands at the moment (a
        # B-T one gets its data from renew_timestamps).
        return _basic_check(signature, reader, moment, level)
    status, problem = _long_term_status(signature, reader, level, moment)
    if status is None:
        # No status at all: the signature did not even parse as one; read it the basic way.
        return _basic_check(signature, reader, moment, level)
    # Validation data and timestamps may follow the signature (pyHanko's diff analysis tells them from
    # any other change), and nothing may follow the last revision.
    unchanged = _only_approved_updates(signature, reader) and _ends_at_a_revision(reader.stream.getvalue())
    later = [stamp for stamp in stamps if stamp.signed_revision > signature.signed_revision]
    if later:
        horizon = _expiry(later[-1].signer_cert)
    else:
        tokens = [_timestamp_signer(token) for token in _signature_timestamps(signature)]
        horizon = min((_expiry(cert) for cert in tokens if cert is not None), default=None)
    # The time the timestamp authority vouches for, else the one the signer's computer gave.
    stamped = status.timestamp_validity.timestamp if status.timestamp_validity else signature.self_reported_timestamp
    return Check(
        penanda=common_name(status.signing_cert),
        waktu=moment_text(stamped) if stamped else "",
        utuh=bool(status.intact and status.valid), tanpa_perubahan=unchanged, tepercaya=problem is None,
        tingkat=level, terverifikasi_sampai=day_text(horizon) if horizon else "", masalah=problem or "",
        kolom=signature.field_name, nama=_named(signature),
    )


def _named(signature) -> str:
    """The signer's name the signature dictionary carries (/Name), "" without one."""
    return str(signature.sig_object.get("/Name", "") or "")


def _ends_at_a_revision(data: bytes) -> bool:
    """Whether the file ends where its last revision does: bytes appended after it are no revision
    a reader shows, but they are a change all the same."""
    return re.search(rb"startxref\s+\d+\s+%%EOF\s*$", data[data.rfind(b"startxref"):]) is not None


def _only_approved_updates(signature, reader) -> bool:
    """The signature covers the file, or what follows it is, by pyHanko's difference analysis,
    validation data and timestamps (ModificationLevel.LTA_UPDATES) or, besides those, later
    signatures filling or adding their own signature fields (FORM_FILLING, its changed fields all
    later signatures'): a Pencatat's approval signature beside the chair's. Anything else after a
    signature (a page's content, another form field, an annotation) is a change."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    integrity = _integrity(signature)
    coverage, diff = integrity.get("coverage"), integrity.get("diff_result")
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION or not isinstance(diff, DiffResult):
        return False
    if diff.modification_level <= ModificationLevel.LTA_UPDATES:
        return True
    later = {other.field_name for other in reader.embedded_signatures
             if other.signed_revision > signature.signed_revision}
    return diff.modification_level == ModificationLevel.FORM_FILLING and set(diff.changed_form_fields) <= later


def _basic_check(signature, reader, moment, level: str) -> Check:
    """A signature without validation data: its certificate must be valid at `moment` (or now)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, moment=moment)
    status = validate_pdf_signature(signature, context)
    reported = status.signer_reported_dt
    problem = ""
    if not status.trusted:
        expiry = _expiry(status.signing_cert)
        problem = NOT_CHAINED
        if expiry <= (moment or timezone.now()):
            problem = (f"sertifikatnya berakhir {day_text(expiry)} dan berkas tidak memuat data validasinya ({level}): "
                       "tidak ada bukti bahwa ia berlaku saat ditandatangani")
    return Check(
        penanda=common_name(status.signing_cert),
        waktu=moment_text(reported) if reported else "",
        utuh=bool(status.intact and status.valid),
        tanpa_perubahan=_only_approved_updates(signature, reader) and _ends_at_a_revision(reader.stream.getvalue()),
        tepercaya=bool(status.trusted), tingkat=level,
        terverifikasi_sampai=day_text(_expiry(status.signing_cert)), masalah=problem, kolom=signature.field_name,
        nama=_named(signature),
    )


# A timestamp authority's revocation list counts as current this long after it was issued (see
# _validation_spec): longer than any retention period.
CARRIED_LIST_FRESH = timedelta(days=365 * 100)


def _validation_spec(reader):
    """ETSI EN 319 102-1 validation with what the file carries: nothing is fetched. The signer's
    chain needs revocation data (a CRL or OCSP response; the file must carry it, that is the point of
    B-LT); a timestamp authority's is checked when present and declared, against the revocation
    list the file carries whatever its age: the newest timestamp is judged at the validation moment,
    for which an offline file can carry no list that fresh, and a list past its next update counted
    as none made BSrE's signatures (its authority names where its list is) unproven a week after
    signing. The list carried is still read, as before."""
    from pyhanko.sign.validation.policy_decl import (
        CertificateFetchingRule,
        LocalKnowledge,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator import policy_decl
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.registry import SimpleTrustManager

    trust = SimpleTrustManager.build(_trust_roots())
    soft = policy_decl.RevocationCheckingPolicy(policy_decl.RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
                                                policy_decl.RevocationCheckingRule.CHECK_IF_DECLARED_SOFT)
    knowledge = LocalKnowledge()
    if reader is not None:
        from pyhanko.sign.validation.ades import _dss_to_local_knowledge

        knowledge = _dss_to_local_knowledge(reader)
    return PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=trust, revinfo_policy=policy_decl.CertRevTrustPolicy(policy_decl.REQUIRE_REVINFO)),
        ts_cert_validation_policy=CertValidationPolicySpec(trust_manager=trust, revinfo_policy=policy_decl.CertRevTrustPolicy(
            soft, freshness=CARRIED_LIST_FRESH, freshness_req_type=policy_decl.FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION)),
        revinfo_gathering_policy=RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
            certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH),
        local_knowledge=knowledge,
    ))


# AdES sub-indications told in words, each as what a reader of the verification page can act on or
# pass on; "{when}" is the day checked ("per 1 Januari 2060", today's without one). The reason ended with
# pyHanko's own code in brackets ("[OUT_OF_BOUNDS_NO_POE]"), which told a reader nothing: the code
# goes to the log (sop_iku.signatures), for the admin.
_OUT_OF_DATE_CRYPTO = "algoritme kriptografi tanda tangan atau sertifikatnya tidak lagi dianggap aman {when}"
_UNREADABLE_SIGNATURE = "bagian tanda tangannya tidak tersusun sebagai tanda tangan PAdES yang dapat diperiksa"
_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": NOT_CHAINED,
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": NOT_CHAINED,
    "REVOKED": "sertifikatnya dicabut",
    "REVOKED_NO_POE": "sertifikatnya dicabut",
    "REVOKED_CA_NO_POE": "sertifikat lembaga penerbit (CA) dalam rantai sertifikatnya dicabut",
    "HASH_FAILURE": "isi yang ditandatangani tidak cocok",
    "SIG_CRYPTO_FAILURE": "tanda tangannya tidak cocok dengan sertifikatnya",
    # The signer's certificate has expired (or is not yet valid) at the moment checked, and no
    # timestamp still valid then shows the signature was made while it was: a B-LT record whose
    # timestamp authority's certificate ended, never renewed (renew_timestamps).
    "OUT_OF_BOUNDS_NO_POE": ("sertifikat penandatangannya tidak berlaku {when}, dan tidak ada stempel waktu dalam berkas "
                             "yang masih sah untuk membuktikan bahwa tanda tangan dibuat selagi sertifikat itu berlaku"),
    "OUT_OF_BOUNDS_NOT_REVOKED": ("sertifikat penandatangannya tidak berlaku {when}; sertifikat itu tidak dicabut, tetapi "
                                  "stempel waktu dalam berkas tidak membuktikan bahwa tanda tangan dibuat selagi sertifikat "
                                  "itu berlaku"),
    # A B-LTA record past its last document timestamp's authority: nothing still valid vouches for it.
    "NO_POE": ("berkas tidak memuat stempel waktu yang masih sah {when} untuk membuktikan kapan tanda tangan dan data "
               "validasinya dibuat (stempel waktu terakhirnya tidak diperbarui sebelum sertifikat penerbitnya berakhir)"),
    "EXPIRED": "sertifikat penandatangannya sudah berakhir masa berlakunya {when}",
    "NOT_YET_VALID": "sertifikat penandatangannya belum berlaku {when}",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": ("daftar pencabutan sertifikat (CRL) dalam berkas sudah tidak berlaku {when}, dan "
                                        "tidak ada stempel waktu yang membuktikan bahwa daftar itu dimuat selagi berlaku"),
    "TRY_LATER": ("status pencabutan sertifikatnya belum dapat dipastikan: berkas tidak memuat daftar pencabutan "
                  "sertifikat (CRL) yang cukup baru untuk saat yang diperiksa"),
    "CHAIN_CONSTRAINTS_FAILURE": ("rantai sertifikatnya tidak memenuhi batasan penggunaannya (misalnya sertifikat yang "
                                  "tidak berwenang menerbitkan sertifikat lain)"),
    "SIG_CONSTRAINTS_FAILURE": ("sertifikatnya tidak boleh dipakai menandatangani dokumen, atau tanda tangannya tidak "
                                "memuat keterangan yang diwajibkan PAdES"),
    "CRYPTO_CONSTRAINTS_FAILURE": _OUT_OF_DATE_CRYPTO,
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": _OUT_OF_DATE_CRYPTO,
    "TIMESTAMP_ORDER_FAILURE": "waktu pada stempel-stempel waktunya tidak berurutan (yang lebih baru bertanggal lebih awal)",
    "NO_SIGNING_CERTIFICATE_FOUND": "sertifikat penandatangannya tidak ada dalam berkas",
    "SIGNED_DATA_NOT_FOUND": _UNREADABLE_SIGNATURE,
    "FORMAT_FAILURE": _UNREADABLE_SIGNATURE,
}
# Any other (GENERIC; the signature policies this app never declares): the evidence does not reach.
_PROBLEM_OTHERWISE = ("stempel waktu dan data validasi dalam berkas tidak membuktikan bahwa sertifikatnya berlaku saat "
                      "ditandatangani (diperiksa {when})")
signatures_log = logging.getLogger("sop_iku.signatures")


def problem_text(code: str, moment=None) -> str:
    """Why a long-term signature is not trusted, for its reader, from AdES's sub-indication `code`."""
    when = f"per {day_text(moment or timezone.now())}"
    return _PROBLEMS.get(code, _PROBLEM_OTHERWISE).format(when=when)


def _long_term_status(signature, reader, level, moment):
    """(pyHanko's status, None when trusted, else why not) of a signature with validation data:
    PAdES B-LTA through the chain of document timestamps, B-LT through its own timestamp."""
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation import ades
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

    timing = (ValidationTimingInfo(validation_time=moment, best_signature_time=moment, point_in_time_validation=True)
              if moment else ValidationTimingInfo.now())
    if level.endswith("-LTA"):
        result = asyncio.run(ades.ades_lta_validation(signature, _validation_spec(None), timing_info=timing))
    else:
        spec = _validation_spec(reader).signature_validation_spec
        result = asyncio.run(ades.ades_with_time_validation(
            signature.signed_data, spec, timing_info=timing, raw_digest=signature.compute_digest(),
            extra_status_kwargs=_integrity(signature), status_cls=_pdf_status_class()))
    if result.ades_subindic == AdESPassed.OK:
        return result.api_status, None
    name = getattr(result.ades_subindic, "name", "")
    signatures_log.info("Tanda tangan %s (%s) tidak terbukti tepercaya %s: AdES %s", signature.field_name, level,
                        f"per {moment.isoformat()}" if moment else "sekarang", name or result.ades_subindic)
    return result.api_status, problem_text(name, moment)


def _integrity(signature) -> dict:
    signature.compute_integrity_info()
    return signature.summarise_integrity_info()


def _pdf_status_class():
    from pyhanko.sign.validation.status import PdfSignatureStatus

    return PdfSignatureStatus
