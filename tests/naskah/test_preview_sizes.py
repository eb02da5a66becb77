"""A page image reserves its own size before it arrives: the draft decree's portrait pages and its
landscape Lampiran each keep the box they fill, on the pages where officials initial and sign and on
the public verification page, so a phone's page does not jump as the lazily loaded images come in."""

import re
import struct

from django.test import Client

from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import initialled
from workflow.steps import DocKind

IMG = re.compile(r'<img class="halaman" src="([^"]+)"[^>]*?width="(\d+)" height="(\d+)"')


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def reserved_and_shown(client, html: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    found = IMG.findall(html)
    assert found and len(found) == html.count('<img class="halaman"')
    return [((int(width), int(height)), png_size(client.get(src).content)) for src, width, height in found]


def test_each_page_image_reserves_its_own_size(people, walk):
    dossier = initialled(people, walk)
    kabiro = client_for(people, "kabiro")
    html = kabiro.get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    sizes = reserved_and_shown(kabiro, html)
    for reserved, image in sizes:
        assert reserved == image
    # The decree's own pages stand, its Lampiran lies: both are there, each with its own box.
    assert any(w < h for (w, h), _ in sizes) and any(w > h for (w, h), _ in sizes)

    decree = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    anyone = Client()
    html = anyone.get(f"/verifikasi/{decree.token}/?halaman=semua").content.decode()
    sizes = reserved_and_shown(anyone, html)
    for reserved, image in sizes:
        assert reserved == image
    assert any(w > h for (w, h), _ in sizes)


def test_a_reviewed_page_is_light_enough_for_a_phone_on_3g_and_drawn_exactly(people, walk):
    # The Kabag initials the Nota and the draft decree from a phone in a car; each page image was a
    # full-colour PNG of 110-280 KB, fetched again on every visit (pages are never cached).
    import io

    from PIL import Image

    from naskah import pages

    dossier = initialled(people, walk)
    kabiro = client_for(people, "kabiro")
    html = kabiro.get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    sources = [src for src, _, _ in IMG.findall(html)]
    assert len(sources) >= 3
    for src in sources:
        data = kabiro.get(src).content
        image = Image.open(io.BytesIO(data))
        # Under a bit a pixel (an A4 page under 140 KB; the Nota's first page was 222 KB).
        assert len(data) * 8 < image.width * image.height, (src, len(data))
    # A generated page's colours are kept exactly: the palette image is the page as rendered.
    found = pages.current(dossier, DocKind.NOTA_DINAS, people["kabiro"])
    pdf = pages._opened(found)
    rendered = pdf[0].render(scale=pages.scale_for(*pdf[0].get_size())).to_pil()
    shown = Image.open(io.BytesIO(pages.page_png(found, 1))).convert("RGB")
    assert shown.tobytes() == rendered.tobytes()
