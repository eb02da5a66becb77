"""The archive's year is the round's IKU year. In January 2027 the Kasubag looked for the round the
bureau had worked on since 28 December 2026 under 2026, read "Tidak ada dosier yang cocok dengan
saringan ini." and nothing said it stood under 2027, its IKU year."""

import datetime as dt
from unittest import mock

from lib.dates import TZ
from tests.factories import client_for, open_dossier


def test_a_year_filter_says_where_the_rounds_opened_that_year_for_another_iku_year_stand(people):
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2026, 12, 28, 9, tzinfo=TZ)):
        open_dossier(people, "Penetapan IKU 2027", tahun=2027)
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2027, 1, 4, 9, tzinfo=TZ)):
        kasubag = client_for(people, "kasubag")
        html = kasubag.get("/arsip/?tahun=2026").content.decode()
        assert "Tidak ada dosier yang cocok dengan saringan ini." in html
        assert ("Saringan tahun memilih Tahun IKU, bukan tahun dosier dibuat. Dibuat pada tahun 2026 untuk Tahun IKU "
                'lain: <a href="?tahun=2027">Tahun IKU 2027</a>.') in html
        assert '<label for="id_tahun">Tahun IKU</label>' in html
        # Under its own year it is listed, and nothing more is said (nor read).
        listed = kasubag.get("/arsip/?tahun=2027").content.decode()
        assert "Penetapan IKU 2027" in listed and "dibuka-tahun-itu" not in listed
