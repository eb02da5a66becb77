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
