"""Every route of the URLconf (read from it, not a hand list) with every kind of id, as each
identity, GET and POST with a CSRF token: never a server error, and no agency ever reads what
belongs to another agency or to the bureau's inside, wherever it looks.

Each object carries a marker; a body that shows a marker its reader may not see fails the test.
"""

import io
import itertools
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from naskah.models import NaskahRecord, RenderJob
from tests.factories import client_for
from tests.marked import DINSOS_MARK, INTERNAL_MARK, marked_dossiers
from tests.naskah.helpers import generate
from tests.permission_matrix import USERS
from tests.workflow.test_urlconf import named_routes
from workflow import dispositions, services
from workflow.actions import TRANSITION_ACTIONS
from workflow.models import Disposition
from workflow.steps import DocKind, IkuStage

# What each reader must never see. The bureau sees both; an outside agency sees no dossier at all.
FORBIDDEN = {"dinkes": (DINSOS_MARK, INTERNAL_MARK), "dishub": (DINSOS_MARK, INTERNAL_MARK),
             "anonymous": (DINSOS_MARK, INTERNAL_MARK)}


@pytest.fixture
def marked(people, walk):
    """`marked_dossiers`, and a generated document, a failed job and a disposisi, each internal."""
    dossier, other, document = marked_dossiers(people, walk)
    # A document made here, so the public verification page is walked with a real token too (its
    # dossier's title carries no marker: the page shows the title to whoever holds the printed QR).
    plain = services.create_dossier(people["kasubag"], tahun=2027, judul="Putaran biasa", invited=[people["dinkes"].skpd])
    generate(client_for(people, "kasubag"), plain, DocKind.UNDANGAN)
    # A job the worker failed, its message internal to the bureau.
    RenderJob.objects.create(dossier=dossier, kind=DocKind.DRAFT_KEPGUB, tujuan=RenderJob.Purpose.BUAT,
                             status=RenderJob.Status.GAGAL, keadaan=dossier.state, pesan=INTERNAL_MARK)
    dossier.refresh_from_db()
    # A disposisi, its instruction internal to the bureau.
    dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi=INTERNAL_MARK,
                      waktu_amount=2, waktu_unit="jam")
    return dossier, other, document


def candidates(dossier, other, document, people) -> dict:
    return {
        "<int:pk>": [dossier.pk, other.pk, 999999],
        "<str:action>": [*TRANSITION_ACTIONS, "hapus"],
        "<str:stage>": [s.value for s in IkuStage] + ["lain"],
        "<int:skpd>": [people["dinkes"].skpd_id, people["dinsos"].skpd_id, 999999],
        "<str:kind>": [DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB, DocKind.UNDANGAN, "lain"],
        "<str:token>": [NaskahRecord.objects.get().token, "x" * 43],
        "<int:number>": [1, 999999],
        "<int:document>": [document.pk, NaskahRecord.objects.get().document_id, 999999],
        "<int:job>": [RenderJob.objects.get().pk, 999999],
        "<int:disposition>": [Disposition.objects.get().pk, 999999],
    }


TEMPLATE_TEXT = re.compile(r"\{#.{0,60}|\{%.{0,60}|.{0,60}#\}")


def expand(route: str, values: dict, document) -> list[str]:
    names = re.findall(r"<[a-z]+:[a-z_]+>", route)
    urls = []
    for combo in itertools.product(*(values[n] if not (n == "<int:pk>" and route.startswith("dokumen")) else
                                      [document.pk, 999999] for n in names)):
        url = route
        for name, value in zip(names, combo):
            url = url.replace(name, str(value), 1)
        urls.append("/" + url)
    return urls


def readable(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("text"):
        return response.content.decode("utf-8", "replace")
    if kind.startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return ""


@pytest.mark.parametrize("username", USERS)
def test_no_route_leaks_or_fails_for_anyone(people, marked, username):
    dossier, other, document = marked
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if username != "anonymous":
        client.force_login(people[username])
    client.get("/masuk/")
    forbidden = FORBIDDEN.get(username, ())
    values = candidates(dossier, other, document, people)
    for name, route in named_routes():
        if name == "logout":
            continue  # the walk stays signed in
        for url in expand(route, values, document):
            for method in ("get", "post"):
                data = {}
                if method == "post":
                    token = client.cookies.get("csrftoken")
                    data = {"csrfmiddlewaretoken": token.value if token else "", "revision": dossier.revision,
                            "state": dossier.state, "q": "PENANDA", "r-1-indikator": "x"}
                response = getattr(client, method)(url, data | ({"q": "PENANDA"} if method == "get" else {}))
                assert response.status_code < 500, (username, method, url, response.status_code)
                body = readable(response)
                for mark in forbidden:
                    assert mark not in body, (username, method, url, mark)
                if response.get("Content-Type", "").startswith("text/html"):
                    # A template comment over two lines is printed as text (Django's {# #} is one line).
                    assert not TEMPLATE_TEXT.search(body), (username, method, url, TEMPLATE_TEXT.search(body)[0])
