"""PAdES signatures on the documents signed here (pyHanko): signing a final PDF in the box its
signature block reserves, and reading back every signature a PDF carries: who, when, whether the
bytes it covers are unchanged, whether the file changed after it, and whether the certificate chains
to a root the admin trusts.

Nothing is fetched while validating (offices may be offline): revocation is checked only as far as
the file itself carries it.
"""

import io
from dataclasses import dataclass
from datetime import datetime

from lib.dates import moment_text
from naskah import certificates

FIELD = "TandaTanganElektronik"
# The box of the signature block's free space (naskah/_ttd.html) that the visible stamp fills.
STAMP_BOX_ID = "ruang-ttd-elektronik"


@dataclass(frozen=True)
class Signer:
    nama: str
    jabatan: str
    nip: str
    kota: str


def sign(pdf: bytes, row, signer: Signer, *, page: int | None, box: tuple | None, at: datetime) -> bytes:
    """`pdf` signed with certificate `row` as PAdES B-B, with the visible stamp in `box` of `page`
    when the document reserved one (else an invisible signature)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    data, passphrase = certificates.opened(row)
    simple = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase or None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    spec = fields.SigFieldSpec(FIELD, on_page=page or 0, box=box if page is not None else None)
    fields.append_signature_field(writer, spec)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=signer.nama, location=signer.kota, reason=f"Ditandatangani oleh {signer.jabatan}",
    )
    lines = ["Ditandatangani secara elektronik", signer.nama, signer.jabatan[:60], signer.nip, moment_text(at)]
    style = TextStampStyle(stamp_text="\n".join(line.replace("%", "%%") for line in lines if line), border_width=0)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=simple, stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass(frozen=True)
class Check:
    """One signature as a person reads it."""

    penanda: str
    waktu: str
    # The signed bytes are those the signature was made over.
    utuh: bool
    # Nothing was added or changed in the file after the signature.
    tanpa_perubahan: bool
    tepercaya: bool

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
            return "Tanda tangan utuh, tetapi sertifikatnya tidak berantai ke sertifikat akar yang dipercaya admin."
        return "Sah: utuh, tidak berubah sejak ditandatangani, sertifikat berantai ke akar tepercaya."


def common_name(certificate) -> str:
    subject = certificate.subject
    return subject.native.get("common_name") or subject.human_friendly


def validate(data: bytes, *, moment: datetime | None = None) -> list[Check]:
    """Every signature in `data`; [] for a file with none or that is no PDF. With `moment`, each is
    validated as of that moment (is the record still verifiable then?), else as of now."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(der) for der in certificates.trusted_roots_der()]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, OSError):
        return []
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
        try:
            status = validate_pdf_signature(signature, context)
        except (SignatureValidationError, PdfReadError, ValueError, KeyError, TypeError):
            checks.append(Check("(tidak terbaca)", "", False, False, False))
            continue
        reported = status.signer_reported_dt
        checks.append(Check(
            penanda=common_name(status.signing_cert),
            waktu=moment_text(reported) if reported else "",
            utuh=bool(status.intact and status.valid),
            tanpa_perubahan=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            tepercaya=bool(status.trusted),
        ))
    return checks
