"""Every admin change page of ours, opened by two admins: the one saved second, from the page it
opened before the other's save, is refused with its typed values kept, and the other's change stays
(instead of being written back as the older page loaded it)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory

from api.models import ApiToken
from naskah.models import LegalBasis, NumberingRule, OfficeProfile, SigningCertificate, SigningMethod, TrustedRoot
from webhooks.models import Webhook
from workflow.admin.mixins import OptimisticChange, ours
from workflow.models import DelegationRule, Skpd
from workflow.roles import Role
from worktime.models import Schedule, SpecialDay

MEANWHILE = "diubah admin lain sejak halaman ini dibuka"


class ChangeForm(HTMLParser):
    """The values the change page's form posts as loaded, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            else:
                self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def loaded_form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    parser = ChangeForm()
    parser.feed(page.content.decode())
    # The page's own search box and the CSRF token (the test client does not check it) are not the row.
    parser.data.pop("csrfmiddlewaretoken", None)
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in parser.data.items()
            if not name.startswith("_")}


def group_with_permissions():
    group = Group.objects.create(name="Penjaga kalender")
    group.permissions.set(Permission.objects.filter(codename__in=["view_schedule"]))
    return group


def add_permission(data):
    return data | {"permissions": [*data["permissions"],
                                   str(Permission.objects.get(codename="change_schedule").pk)]}


def schedule_with_hours():
    return Schedule.objects.filter(days__isnull=False).distinct().first()


def later_closing(data):
    return data | {"days-0-closes": "17:30"}


# (model, the row, the other admin's change, the change typed on the older page, what the older page
# typed as it shows again, how the other's change stands in the database).
CASES = {
    "kop": (OfficeProfile, lambda people: OfficeProfile.objects.get_or_create()[0],
            lambda d: d | {"telepon": "(0561) 999999"}, lambda d: d | {"alamat": "Jalan Sutan Syahrir 1"},
            "Jalan Sutan Syahrir 1", lambda row: row.telepon == "(0561) 999999"),
    "penomoran": (NumberingRule, lambda people: NumberingRule.objects.first(),
                  lambda d: d | {"kode_unit": "Kesra.2"}, lambda d: d | {"kode_klasifikasi": "400.99"},
                  "400.99", lambda row: row.kode_unit == "Kesra.2"),
    "sertifikat": (SigningCertificate, lambda people: SigningCertificate.objects.first(),
                   lambda d: d | {"aktif": ""}, lambda d: d | {"nama": "Sertifikat Kabiro 2027"},
                   "Sertifikat Kabiro 2027", lambda row: not row.aktif),
    "dasar hukum": (LegalBasis, lambda people: LegalBasis.objects.create(urutan=99, teks="Peraturan Daerah Nomor 1 Tahun 2020"),
                    lambda d: d | {"aktif": ""}, lambda d: d | {"teks": "Peraturan Daerah Nomor 1 Tahun 2021"},
                    "Peraturan Daerah Nomor 1 Tahun 2021", lambda row: not row.aktif),
    "cara tanda tangan": (SigningMethod, lambda people: SigningMethod.objects.create(pejabat=people["kabiro"]),
                          lambda d: d | {"cara": SigningMethod.Cara.LOKAL}, lambda d: d | {"cadangan_lokal": "on"},
                          None, lambda row: row.cara == SigningMethod.Cara.LOKAL),
    "akar tepercaya": (TrustedRoot, lambda people: TrustedRoot.objects.first(),
                       lambda d: d | {"aktif": ""}, lambda d: d | {"nama": "CA Demo Kalbar"},
                       "CA Demo Kalbar", lambda row: not row.aktif),
    "aturan Plh.": (DelegationRule, lambda people: DelegationRule.objects.create(role=Role.TIM, delegate_role=Role.STAF),
                    lambda d: d | {"delegate_role": Role.KASUBAG}, lambda d: d | {"role": Role.KABIRO},
                    None, lambda row: row.delegate_role == Role.KASUBAG),
    "webhook": (Webhook, lambda people: Webhook.objects.create(nama="SIPD", url="https://sipd.example.org/hook",
                                                                   events=["putaran.ditutup"]),
                lambda d: d | {"aktif": ""}, lambda d: d | {"nama": "SIPD Kalbar"},
                "SIPD Kalbar", lambda row: not row.aktif),
    "jadwal": (Schedule, lambda people: schedule_with_hours(),
               later_closing, lambda d: d | {"basis": "SE Gubernur 800/1/2027"},
               "SE Gubernur 800/1/2027", lambda row: row.days.order_by("weekday").first().closes == datetime.time(17, 30)),
    "hari khusus": (SpecialDay, lambda people: SpecialDay.objects.create(date=datetime.date(2027, 3, 6), kind="libur",
                                                                         note="Hari jadi"),
                    lambda d: d | {"note": "Hari jadi Provinsi"}, lambda d: d | {"date": "2027-03-05"},
                    "2027-03-05", lambda row: row.note == "Hari jadi Provinsi" and row.date == datetime.date(2027, 3, 6)),
    "grup": (Group, lambda people: group_with_permissions(),
             add_permission, lambda d: d | {"name": "Penjaga kalender kerja"},
             "Penjaga kalender kerja", lambda row: row.permissions.filter(codename="change_schedule").exists()),
}


@pytest.mark.parametrize("case", CASES)
def test_a_change_saved_from_an_older_page_is_refused_and_the_other_stays(people, case):
    model, make, theirs, mine, typed, kept = CASES[case]
    row = make(people)
    assert row is not None, f"no {model.__name__} to edit"
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(people["admin"])
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/change/"
    older, fresh = loaded_form(first, url), loaded_form(second, url)
    saved = second.post(url, theirs(fresh))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    response = first.post(url, mine(older))
    assert response.status_code == 200, f"the older page's save was taken ({response.status_code})"
    page = response.content.decode()
    assert MEANWHILE in page
    if typed:
        assert typed in page
    assert kept(model.objects.get(pk=row.pk))
    # Opened again, the page saves.
    assert first.post(url, mine(loaded_form(first, url))).status_code == 302


def test_the_version_field_is_on_each_page_once(people):
    admin_client = Client()
    admin_client.force_login(people["admin"])
    for model, make, *_ in CASES.values():
        row = make(people)
        page = admin_client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/change/")
        assert page.content.decode().count('name="versi_dimuat"') == 1, model.__name__
    # An agency's page declares no fieldsets either: its form listed the field and so did the mixin.
    page = admin_client.get(f"/admin/workflow/skpd/{Skpd.objects.first().pk}/change/")
    assert page.content.decode().count('name="versi_dimuat"') == 1


def test_every_editable_change_page_of_ours_checks_the_version(people):
    request = RequestFactory().get("/admin/")
    request.user = people["admin"]
    unguarded = [type(model_admin).__name__ for model_admin in admin.site._registry.values()
                 if ours(model_admin) and model_admin.has_change_permission(request)
                 and not isinstance(model_admin, OptimisticChange) and not getattr(model_admin, "own_stale_check", "")]
    assert unguarded == []
    # Read-only pages and others' stay as they are.
    assert not admin.site._registry[ApiToken].has_change_permission(request)


def list_form(client, url) -> dict:
    return {name: value for name, value in loaded_form(client, url).items()
            if name.startswith("form-") or name == "action"} | {"_save": "Simpan"}


def test_a_list_saved_after_another_admin_changed_a_row_keeps_that_change(people):
    # The Mengingat list edits the order and the active box in place: saved, it posted every row as
    # the page loaded it, putting back a rule another admin had made inactive meanwhile.
    repealed = LegalBasis.objects.create(urutan=98, teks="Peraturan Daerah Nomor 2 Tahun 2010")
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(people["admin"])
    url = "/admin/naskah/legalbasis/"
    older = list_form(first, url)
    change = f"/admin/naskah/legalbasis/{repealed.pk}/change/"
    assert second.post(change, loaded_form(second, change) | {"aktif": ""}).status_code == 302
    rows = {older[f"form-{n}-id"]: n for n in range(int(older["form-TOTAL_FORMS"]))}
    number = rows[str(repealed.pk)]
    older.pop(f"form-{number}-aktif", None)  # as shown: ticked
    older[f"form-{number}-aktif"] = "on"
    other = next(n for pk, n in rows.items() if pk != str(repealed.pk))
    older[f"form-{other}-urutan"] = "97"
    assert first.post(url, older).status_code == 302
    repealed.refresh_from_db()
    assert not repealed.aktif
    assert LegalBasis.objects.get(pk=older[f"form-{other}-id"]).urutan == 97


def test_a_row_changed_in_the_list_and_by_another_admin_is_refused_with_the_list_kept(people):
    rule = LegalBasis.objects.create(urutan=98, teks="Peraturan Daerah Nomor 2 Tahun 2010")
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(people["admin"])
    url = "/admin/naskah/legalbasis/"
    older = list_form(first, url)
    change = f"/admin/naskah/legalbasis/{rule.pk}/change/"
    assert second.post(change, loaded_form(second, change) | {"urutan": "5"}).status_code == 302
    number = next(n for n in range(int(older["form-TOTAL_FORMS"])) if older[f"form-{n}-id"] == str(rule.pk))
    response = first.post(url, older | {f"form-{number}-urutan": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "diubah admin lain sejak daftar ini dibuka" in page and 'value="7"' in page
    assert LegalBasis.objects.get(pk=rule.pk).urutan == 5


def test_a_letterhead_refused_with_a_new_emblem_says_to_choose_the_file_again(people):
    import io

    from PIL import Image

    kop = OfficeProfile.objects.get_or_create()[0]
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(people["admin"])
    url = f"/admin/naskah/officeprofile/{kop.pk}/change/"
    older = loaded_form(first, url)
    assert second.post(url, loaded_form(second, url) | {"telepon": "(0561) 999999"}).status_code == 302
    emblem = io.BytesIO()
    Image.new("RGB", (120, 140), (200, 30, 30)).save(emblem, "PNG")
    emblem.seek(0)
    emblem.name = "lambang-baru.png"
    response = first.post(url, older | {"lambang": emblem})
    page = response.content.decode()
    assert response.status_code == 200 and MEANWHILE in page
    assert "Berkas yang Anda pilih (lambang-baru.png) tidak ikut tersimpan: pilih lagi." in page
    kop.refresh_from_db()
    assert kop.telepon == "(0561) 999999" and not kop.lambang
