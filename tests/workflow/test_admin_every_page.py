"""Every page of the admin opens, with the rows a working install has: a signed Nota's record, a
letterhead with its emblem, documents, delegations. A page that asks the document store for a URL
it does not give (it has none: documents are served through the policy) once failed for good."""

import io

from django.contrib import admin
from django.urls import reverse
from PIL import Image

from naskah.models import OfficeProfile
from tests.factories import client_for
from tests.naskah.helpers import signed_nota

SHOWN_PER_MODEL = 3


def png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (60, 70), (200, 30, 30)).save(data, "PNG")
    return data.getvalue()


def test_every_admin_list_add_and_change_page_opens_with_stored_files(people, walk):
    from django.core.files.base import ContentFile

    dossier, _ = signed_nota(people, walk)
    kop = OfficeProfile.current()
    kop.lambang.save("lambang.png", ContentFile(png()), save=True)
    client = client_for(people, "admin")
    opened = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls = [reverse(f"{prefix}_changelist")]
        if model_admin.has_add_permission(_request(people["admin"])):
            urls.append(reverse(f"{prefix}_add"))
        urls += [reverse(f"{prefix}_change", args=[pk])
                 for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:SHOWN_PER_MODEL]]
        for url in urls:
            assert client.get(url).status_code == 200, url
            opened.append(url)
    from naskah.models import NaskahRecord

    record = NaskahRecord.objects.exclude(final_sha256="").get(document__dossier=dossier)
    page = client.get(reverse("admin:naskah_naskahrecord_change", args=[record.pk])).content.decode()
    assert record.final_file.name in page
    page = client.get(reverse("admin:naskah_officeprofile_change", args=[kop.pk])).content.decode()
    assert kop.lambang.name in page and 'name="lambang-clear"' in page
    # The walk reached the rows, not only the lists.
    assert len(opened) > 2 * len(admin.site._registry)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
