"""Who puts the electronic signature on a final document: the certificate installed here for the
signer (pyHanko, naskah.pades), or the BSrE TTE service (naskah.bsre) with the NIK and passphrase
the signer typed for this one signing. The admin chooses per official (SigningMethod); when BSrE
does not answer, an official the admin allows it may sign with the local certificate instead, and
the record, the audit event and the public page say so.

Both sign the same rendered PDF in the box its signature block reserves, with the same stamp text;
the QR is part of the page either way.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from naskah import bsre, certificates, pades
from naskah.models import SigningMethod

LOCAL, BSRE, LOCAL_FALLBACK = "lokal", "bsre", "lokal-cadangan"
LABELS = {
    LOCAL: "sertifikat elektronik yang dipasang di aplikasi",
    BSRE: "BSrE (layanan TTE nasional)",
    LOCAL_FALLBACK: "sertifikat elektronik yang dipasang di aplikasi (BSrE tidak dapat dihubungi)",
}
FALLBACK_HINT = (" Anda diizinkan menandatangani dengan sertifikat yang dipasang di aplikasi: centang «BSrE tidak "
                 "dapat dihubungi» dan masukkan kata sandi aplikasi Anda.")
# A program through the API has no box to tick: it is told the fields to send.
FALLBACK_HINT_PROGRAM = (" Anda diizinkan menandatangani dengan sertifikat yang dipasang di aplikasi: kirim lagi dengan "
                         "pakai_sertifikat_lokal true dan kata_sandi berisi kata sandi aplikasi Anda.")


def fallback_hint(for_program: bool) -> str:
    return FALLBACK_HINT_PROGRAM if for_program else FALLBACK_HINT


@dataclass(frozen=True)
class Plan:
    """How one signing is done. The NIK and passphrase live only as long as the request."""

    kind: str = LOCAL
    nik: str = field(default="", repr=False)
    passphrase: str = field(default="", repr=False)
    fallback_allowed: bool = False
    # Asked by a program through the API: a refusal names the fields it sends, not the page's box.
    for_program: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def method_of(user) -> SigningMethod | None:
    """`user`'s BSrE choice, when BSrE is configured and the admin chose it for them."""
    if user is None or not bsre.configured():
        return None
    found = SigningMethod.objects.filter(pejabat=user).first()
    return found if found is not None and found.cara == SigningMethod.Cara.BSRE else None


class DocumentSigner:
    """Signs a rendered final PDF; ValidationError with a message for the signer when it cannot."""

    label = ""

    def check(self) -> None:
        """Refuse before anything is rendered, when it is already known signing cannot happen."""

    def sign(self, pdf: bytes, who: pades.Signer, *, page: int | None, box: tuple | None, at,
             field: str = pades.FIELD) -> bytes:
        """`pdf` signed by `who` in signature field `field` (filled if `pdf` left it empty), its
        stamp in `box` of `page`."""
        raise NotImplementedError


class LocalSigner(DocumentSigner):
    """The signer's own installed certificate, else the institution's (certificates.for_signer)."""

    def __init__(self, user, *, fallback: bool = False):
        self.user = user
        self.certificate = certificates.for_signer(user)
        self.label = LABELS[LOCAL_FALLBACK if fallback else LOCAL]

    def check(self) -> None:
        if self.certificate is None:
            raise ValidationError(certificates.missing_for(self.user))

    def sign(self, pdf, who, *, page, box, at, field=pades.FIELD):
        return pades.sign(pdf, self.certificate, who, page=page, box=box, at=at, field=field)


class BsreSigner(DocumentSigner):
    label = LABELS[BSRE]

    def __init__(self, plan: Plan, client: bsre.Client | None = None):
        self.plan = plan
        self.client = client or bsre.Client()

    def sign(self, pdf, who, *, page, box, at, field=pades.FIELD):
        # The service names the field it makes; it draws the stamp at `box`, over the empty field
        # the page left there.
        visible = None
        if page is not None and box is not None:
            left, bottom, right, top = box
            visible = bsre.Visible(page=page + 1, x=left, y=bottom, width=right - left, height=top - bottom,
                                   image_png=stamp_png(pades.stamp_lines(who, at), right - left, top - bottom))
        try:
            return self.client.sign_pdf(pdf, nik=self.plan.nik, passphrase=self.plan.passphrase, visible=visible)
        except bsre.ServiceDown as error:
            raise ValidationError(str(error) + (fallback_hint(self.plan.for_program) if self.plan.fallback_allowed
                                                else "")) from None
        except bsre.BsreError as error:
            raise ValidationError(str(error)) from None


def for_plan(plan: Plan | None, user) -> DocumentSigner:
    plan = plan or Plan()
    if plan.kind == BSRE:
        return BsreSigner(plan)
    return LocalSigner(user, fallback=plan.kind == LOCAL_FALLBACK)


# The stamp is drawn at this many pixels per PDF point: sharp when printed.
STAMP_SCALE = 4


def stamp_png(lines: list[str], width: float, height: float) -> bytes:
    """The stamp text as the PNG image BSrE draws in the box (the service takes an image, not text)."""
    from PIL import Image, ImageDraw, ImageFont

    size = (max(1, round(width * STAMP_SCALE)), max(1, round(height * STAMP_SCALE)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    line_height = size[1] / max(len(lines), 1)
    font = ImageFont.load_default(size=max(8, min(round(line_height * 0.75), 9 * STAMP_SCALE)))
    for number, line in enumerate(lines):
        draw.text((2 * STAMP_SCALE, number * line_height), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
