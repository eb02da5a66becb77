"""Pages reach an office on a slow link paying per megabyte compressed (sop_iku/compression.py);
what is compressed already is passed as it is, and the CSRF token a page carries is a new string in
every response, so its compressed length gives away nothing that stands still (BREACH)."""

import gzip
import re

from tests.factories import client_for

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_dossier_page_is_sent_compressed_and_still_never_cached(people, walk):
    dossier = walk("langkah_3")
    kasubag = client_for(people, "kasubag")
    plain = kasubag.get(f"/dosier/{dossier.pk}/")
    packed = kasubag.get(f"/dosier/{dossier.pk}/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) * 3 < len(plain.content), (len(packed.content), len(plain.content))
    assert dossier.judul in gzip.decompress(packed.content).decode()
    assert "Accept-Encoding" in packed["Vary"]
    assert "no-store" in packed["Cache-Control"] and "private" in packed["Cache-Control"]


def test_what_is_compressed_already_is_sent_as_it_is(people, walk):
    dossier = walk("langkah_3")
    response = client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/iku/templat.xlsx", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "Content-Encoding" not in response


def test_the_csrf_token_on_a_compressed_page_differs_in_every_response(people, walk):
    dossier = walk("langkah_3")
    kasubag = client_for(people, "kasubag")
    tokens = {TOKEN.search(gzip.decompress(kasubag.get(f"/dosier/{dossier.pk}/disposisi/", HTTP_ACCEPT_ENCODING="gzip").content)
                           .decode()).group(1) for _ in range(3)}
    assert len(tokens) == 3
