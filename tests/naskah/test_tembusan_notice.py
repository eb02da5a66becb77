"""A letter does not send its copy to an official it is addressed to (naskah.content.tembusan), and
the form says so under the Tembusan field, naming each line that will not print as Tembusan: on the
form as it starts (the default, or the last version's text once one was made) and as typed when a
refused form comes back. Lines naming nobody addressed are printed and not mentioned."""

import html as html_lib
import re

from tests.factories import client_for
from tests.naskah.helpers import form_data, generate, pages, stored_pdf
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind

SEKDA = "Sekretaris Daerah Provinsi Kalimantan Barat (sebagai laporan)"
INSPEKTUR = "Inspektur Provinsi Kalimantan Barat"


def notice(page: str) -> str:
    """What the form says under its Tembusan field about the lines it leaves out; "" if nothing."""
    found = re.search(r'<strong id="tembusan-tujuan">(.*?)</strong>', page, re.S)
    return html_lib.unescape(found.group(1)) if found else ""


def test_the_surat_form_names_the_tembusan_lines_that_are_addressees(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    kabiro = client_for(people, "kabiro")
    url = f"/dosier/{dossier.pk}/buat/{DocKind.SURAT_SKPD}/"
    # Not invited, the Sekda is a copy: printed, and nothing said.
    assert notice(kabiro.get(url).content.decode()) == ""
    dossier.invited.add(Skpd.objects.get(nama_pendek="Sekretariat Daerah"))

    # The default Tembusan is the Sekda, now an addressee.
    said = notice(kabiro.get(url).content.decode())
    assert "Tidak dicetak sebagai Tembusan" in said and f"“{SEKDA}”" in said

    # As typed in a refused form (with "Yth." and a number before it), the other line not named.
    refused = kabiro.post(url, form_data(dossier, DocKind.SURAT_SKPD, hal="",
                                         tembusan=f"1. Yth. {SEKDA}\n2. {INSPEKTUR}")).content.decode()
    assert "Hal wajib diisi." in refused
    said = notice(refused)
    assert f"“{SEKDA}”" in said and INSPEKTUR not in said

    # Made: the Sekda is an addressee and not a copy, as before; the form made again says so.
    generate(kabiro, dossier, DocKind.SURAT_SKPD, tembusan=f"{SEKDA}\n{INSPEKTUR}")
    # The letter's page (its Lampiran lists the Sekda among the addressees), to the KONSEP mark.
    letter = pages(stored_pdf(dossier, DocKind.SURAT_SKPD))[0]
    tembusan = letter[letter.index("Tembusan:"):letter.index("KONSEP")]
    assert INSPEKTUR in tembusan and "Sekretaris Daerah" not in tembusan
    said = notice(kabiro.get(url).content.decode())
    assert f"“{SEKDA}”" in said and INSPEKTUR not in said


def test_the_undangan_form_names_an_invited_agencys_head_typed_as_tembusan(people, dossier):
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/buat/{DocKind.UNDANGAN}/"
    # Its default copy, the Kabiro's, is no addressee.
    assert notice(kasubag.get(url).content.decode()) == ""
    typed = "Kepala Dinas Kesehatan Provinsi Kalimantan Barat\nKepala Biro Kesejahteraan Rakyat (sebagai laporan)"
    page = kasubag.post(url, form_data(dossier, DocKind.UNDANGAN, tempat="", tembusan=typed)).content.decode()
    said = notice(page)
    assert "“Kepala Dinas Kesehatan Provinsi Kalimantan Barat”" in said and "Biro" not in said
