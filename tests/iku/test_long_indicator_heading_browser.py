"""On a phone (390 px), a row whose indicator runs to 1,500 characters (a definition pasted whole)
heads its card with the indicator's start, not a screen of bold type; the whole text opens under
the heading from "Indikator selengkapnya", a <details> that needs no script. On the agencies' own
version comparison at step 6 and on the bureau's provincial table."""

import pytest

from tests.browser import no_horizontal_scroll
from workflow import demo, services
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE_390 = {"width": 390, "height": 844}
CLAUSE = ("Persentase fasilitas pelayanan kesehatan tingkat pertama dan rujukan yang memenuhi standar mutu "
          "pelayanan minimal beserta akreditasi paripurna, diukur pada seluruh kabupaten dan kota; ")
LONG = (CLAUSE * 12)[:1499] + "."
# A heading of a few lines: at 390 px the whole indicator set in it was more than 800 px of bold type.
HEADING_MAX_PX = 160


@pytest.fixture
def long_row(people):
    """A round at step 6 whose Dinkes Bahan's second version adds a 1,500-character indicator."""
    dossier = demo.open_dossier(people, 2027, "IKU dengan indikator panjang")
    demo.walk_to(dossier, people, STEP_BY_NUMBER[5].state)
    demo.prepare_step(dossier, people)
    row = demo.sample_row(people["dinkes"].skpd)
    row.indikator = LONG
    dossier.refresh_from_db()
    services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=[row, demo.sample_row(people["dinkes"].skpd)], catatan="Bahan dengan definisi lengkap")
    demo.finish_step(dossier, people)
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[6].state
    return dossier


def heading_then_whole_text(page, heading):
    assert heading.bounding_box()["height"] <= HEADING_MAX_PX
    assert LONG not in heading.inner_text() and heading.inner_text().rstrip().endswith("…")
    more = page.locator("details.long-heading").first
    assert not more.get_attribute("open")
    more.locator("summary").click()
    assert LONG in " ".join(more.inner_text().split())


def test_the_agencys_comparison_heads_a_long_indicator_with_its_start(long_row, people, sign_in):
    with sign_in("dinkes", viewport=PHONE_390) as page:
        page.goto(f"/dosier/{long_row.pk}/iku/bahan/versi/{people['dinkes'].skpd_id}/")
        heading_then_whole_text(page, page.locator("section.diff h2", has_text="Persentase fasilitas").first)
        assert no_horizontal_scroll(page)[0] <= PHONE_390["width"]


def test_the_provincial_table_heads_a_long_indicator_with_its_start(long_row, sign_in):
    with sign_in("kasubag", viewport=PHONE_390) as page:
        page.goto(f"/dosier/{long_row.pk}/aksi/atur_tabel_iku/")
        heading_then_whole_text(page, page.locator("article.consolidated-row h3", has_text="Persentase fasilitas").first)
        assert no_horizontal_scroll(page)[0] <= PHONE_390["width"]
