"""The pages name what they show: a template asking an object for an attribute it lacks makes
Django list the object's every attribute (`dir`) to word the failure: a dossier page once made 72
such listings per view. No page does it."""

import collections
import sys
from pathlib import Path

import django
import django.template.base
import pytest

from tests.factories import client_for
from workflow.steps import SELESAI, STEP_BY_NUMBER, IkuStage

DJANGO_PACKAGE = str(Path(django.__file__).parent)
PAGES = ["/", "/arsip/", "/arsip/?tahun=2027", "/dosier/baru/", "/pelimpahan/", "/pemberitahuan/", "/dasbor/",
         "/laporan/?tahun=2027", "/dosier/{pk}/", "/dosier/{pk}/disposisi/"]
PAGES += [f"/dosier/{{pk}}/aksi/{action}/" for action in ("ajukan_iku", "selesaikan", "kembalikan", "unggah")]
PAGES += [f"/dosier/{{pk}}/iku/{stage.value}/" for stage in IkuStage]


@pytest.mark.parametrize("state", [STEP_BY_NUMBER[3].state, STEP_BY_NUMBER[6].state, STEP_BY_NUMBER[9].state, SELESAI])
def test_no_page_asks_an_object_for_what_it_lacks(people, walk, monkeypatch, state):
    dossier = walk(state, judul="IKU 2027")
    failed = collections.Counter()

    def counting_dir(obj=None):
        lookup = sys._getframe(1).f_locals
        # Django's own widget templates ask a widget's attributes for an optional class: not ours.
        if not lookup["context"].template.origin.name.startswith(DJANGO_PACKAGE):
            failed[f"{lookup['self'].var}: {type(obj).__name__} has no {lookup['bit']!r}"] += 1
        return dir(obj)

    monkeypatch.setattr(django.template.base, "dir", counting_dir, raising=False)
    for username in ("kasubag", "staf", "kabag", "kabiro", "dinkes"):
        client = client_for(people, username)
        for page in PAGES:
            url = page.format(pk=dossier.pk)
            assert client.get(url).status_code in (200, 403, 404), url
    assert not failed, failed
