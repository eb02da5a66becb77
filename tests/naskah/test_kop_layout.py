"""The kop as it lands on the page, beside the emblem the admin uploaded: no line of the kop runs under
the emblem, and an emblem of another shape than the province's shield is not drawn over the lines."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from naskah import render
from naskah.generators import GENERATORS
from naskah.models import OfficeProfile
from workflow.steps import DocKind


def emblem(width: int, height: int) -> SimpleUploadedFile:
    """A transparent PNG with a filled shape, as an emblem cut out of its background is."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=(0, 110, 0, 255))
    data = io.BytesIO()
    image.save(data, "PNG")
    return SimpleUploadedFile("lambang.png", data.getvalue(), content_type="image/png")


def kop_boxes(dossier, kind):
    """The emblem's box and the text boxes of the kop's lines, on the first page of `kind`."""
    generator = GENERATORS[kind]
    form = generator.form(generator.form.posted_defaults(dossier), dossier=dossier)
    assert form.is_valid(), form.errors
    context = generator.context(dossier, form.cleaned_data, "", timezone.now(), None) | {"konsep": True}
    page = render._layout(generator.template, context).pages[0]._page_box
    kop = next(box for box in page.descendants()
               if box.element_tag == "div" and "kop" in (box.element.get("class") or "").split())
    image = next(box for box in kop.descendants() if box.element_tag == "img")
    texts = [box for box in kop.descendants() if getattr(box, "text", "").strip()]
    return image, texts


def drawn_width(image) -> float:
    """How wide the emblem is drawn: its box, or less where the picture is fitted inside it."""
    if image.style["object_fit"] != "contain":
        return image.width
    intrinsic_width, intrinsic_height, _ = image.replacement.get_intrinsic_size(1, image.style["font_size"])
    return min(image.width, image.height * intrinsic_width / intrinsic_height)


@pytest.mark.parametrize("kind", [DocKind.UNDANGAN, DocKind.NOTA_DINAS])
def test_a_long_unit_name_wraps_beside_the_emblem_not_under_it(dossier, kind):
    # The unit's name over two lines ran from margin to margin: its first word printed under the emblem.
    kop = OfficeProfile.current()
    kop.unit = "BIRO PEMERINTAHAN, OTONOMI DAERAH DAN KESEJAHTERAAN RAKYAT"
    kop.alamat = "Jalan Jenderal Ahmad Yani, Pontianak"
    kop.lambang = emblem(300, 370)
    kop.save()
    image, texts = kop_boxes(dossier, kind)
    emblem_right, emblem_bottom = image.border_box_x() + image.border_width(), image.border_box_y() + image.border_height()
    beside = [box for box in texts if box.position_y < emblem_bottom]
    assert "BIRO" in " ".join(box.text for box in beside)
    assert all(box.position_x >= emblem_right for box in beside), [
        (box.text, box.position_x, emblem_right) for box in beside if box.position_x < emblem_right]
    # The province's name still fits on its one line.
    assert any(box.text.strip() == "PEMERINTAH PROVINSI KALIMANTAN BARAT" for box in texts)


def test_a_wide_logo_is_shrunk_into_the_emblems_place_not_drawn_over_the_kop(dossier):
    # A logo four times as wide as tall was drawn 22 mm tall, so 88 mm wide, over half the kop's lines.
    kop = OfficeProfile.current()
    kop.lambang = emblem(1600, 400)
    kop.save()
    image, texts = kop_boxes(dossier, DocKind.UNDANGAN)
    left_of_lines = min(box.position_x for box in texts)
    assert image.border_box_x() + drawn_width(image) <= left_of_lines


@pytest.mark.parametrize("size", [(300, 370), (1600, 400), (120, 480)])
def test_the_printed_size_the_emblems_upload_check_reckons_with_is_the_kops(dossier, size):
    # The upload refuses an emblem too small for its printed size (naskah.models.kop_print_mm): the
    # size it reckons with is the one print.css gives the kop's emblem.
    from naskah.models import kop_print_mm

    kop = OfficeProfile.current()
    kop.lambang = emblem(*size)
    kop.save()
    image, _ = kop_boxes(dossier, DocKind.UNDANGAN)
    intrinsic_width, intrinsic_height, _ = image.replacement.get_intrinsic_size(1, image.style["font_size"])
    drawn_height = min(image.height, image.width * intrinsic_height / intrinsic_width)
    mm = 25.4 / 96  # a CSS pixel
    assert kop_print_mm(*size) == pytest.approx((drawn_width(image) * mm, drawn_height * mm), abs=0.05)
