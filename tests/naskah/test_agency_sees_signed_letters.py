"""An agency reads the letters addressed to it as they were signed, never the bureau's drafts of
them: not the KONSEP, not a version before, whichever way it asks (the dossier page, the file's
address, the API)."""

from tests.api.helpers import as_token
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.models import Document
from workflow.steps import DocKind


def test_an_agency_opens_the_signed_invitation_only(people, dossier):
    staf = client_for(people, "staf")
    for _ in range(2):
        assert generate(staf, dossier, DocKind.UNDANGAN).status_code == 302
    drafts = list(Document.objects.filter(dossier=dossier, kind=DocKind.UNDANGAN).order_by("pk"))
    assert len(drafts) == 2 and not any(d.is_signed for d in drafts)
    dinkes = client_for(people, "dinkes")
    token = as_token(people, "dinkes")

    def agency_reads() -> tuple[set, set, set]:
        page = dinkes.get(f"/dosier/{dossier.pk}/").content.decode()
        linked = {d.pk for d in Document.objects.filter(dossier=dossier) if f"/dokumen/{d.pk}/" in page}
        opened = {d.pk for d in Document.objects.filter(dossier=dossier) if dinkes.get(f"/dokumen/{d.pk}/").status_code == 200}
        listed = {d["id"] for d in token.get(f"/api/v1/dosier/{dossier.pk}/dokumen/").json()}
        return linked, opened, listed

    assert agency_reads() == (set(), set(), set())
    bureau = client_for(people, "kasubag")
    assert all(bureau.get(f"/dokumen/{d.pk}/").status_code == 200 for d in drafts)
    for kind in dossier.step.requires:
        demo.upload(dossier, people["staf"], kind)
    demo.finish(dossier, people["kasubag"])
    signed = Document.objects.get(pk=drafts[-1].pk)
    assert signed.is_signed
    assert agency_reads() == ({signed.pk}, {signed.pk}, {signed.pk})
