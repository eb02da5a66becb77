"""The admin brings in the bureau's staff and the agencies' officers from a spreadsheet: a template to
fill, a preview that names each refused row and column, nothing written before the confirmation and
all of it then in one transaction, recorded in the admin's log; the same rules as the user page
(no admin rights, no admin account changed by staff, an agency's officer never a bureau role)."""

import io
import re

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from workflow.models import Skpd, User
from workflow.people_import import COLUMNS

URL = "/admin/workflow/user/impor/"
HEADINGS = [label for _, label in COLUMNS]


def xlsx(rows, headings=HEADINGS, name="pegawai.xlsx", before=()) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in (*before, headings, *rows):
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def csv_file(text: str, name="pegawai.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def preview(client, upload):
    page = client.post(URL, {"berkas": upload})
    assert page.status_code == 200, page.content.decode()[:2000]
    return page


def confirm(client, page):
    return client.post(URL, {"rencana": page.context["rencana"]})


def refusals(page) -> list[str]:
    return [str(problem) for problem in page.context["plan"].problems]


OFFICERS = [
    ("budi.dinkes", "dr. Budi Santoso, M.Kes.", "19800512 200501 1 003", "Kepala Seksi", "III/d",
     "budi@dinkes.example.go.id", "Dinas Kesehatan", "SKPD"),
    ("sari.biro", "Sari Wulandari, S.E.", "198703152010012004", "Analis Kebijakan", "III/b",
     "sari@kesra.example.go.id", "", "Staf, Tim"),
]


def test_the_admin_imports_officers_through_preview_and_confirmation(admin_client, people):
    page = admin_client.get("/admin/workflow/user/")
    assert URL in page.content.decode()
    template = admin_client.get(URL + "templat/")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["Pengguna"][1]] == HEADINGS
    assert "Dinas Kesehatan" in [c.value for c in book["Daftar SKPD"]["A"]]

    before = LogEntry.objects.count()
    page = preview(admin_client, xlsx(OFFICERS))
    assert refusals(page) == []
    text = page.content.decode()
    assert "2 pengguna akan ditambahkan, 0 diubah, 0 tidak berubah." in text
    assert "Akun baru tanpa kata sandi" in text
    # Nothing is written before the confirmation.
    assert not User.objects.filter(username__in=["budi.dinkes", "sari.biro"]).exists()
    assert LogEntry.objects.count() == before

    done = confirm(admin_client, page)
    assert done.status_code == 302
    budi = User.objects.get(username="budi.dinkes")
    assert budi.skpd == Skpd.objects.get(nama_pendek="Dinas Kesehatan") and budi.own_roles == {"skpd"}
    assert budi.nip == "198005122005011003" and budi.nama == "dr. Budi Santoso, M.Kes."
    assert not budi.has_usable_password() and not budi.is_staff and budi.is_active
    sari = User.objects.get(username="sari.biro")
    assert sari.skpd is None and sari.own_roles == {"staf", "tim"}
    logged = LogEntry.objects.filter(object_id=str(budi.pk), action_flag=ADDITION).get()
    assert logged.user == people["admin"] and "pegawai.xlsx" in logged.get_change_message()
    listing = admin_client.get("/admin/workflow/user/", follow=True).content.decode()
    assert "2 pengguna ditambahkan" in listing


def test_refused_rows_are_named_by_row_and_column_and_nothing_is_written(admin_client, people):
    rows = [
        ("ani.dinsos", "Ani", "", "", "", "", "Dinas Sosial", ""),
        ("baru.pariwisata", "Baru", "", "", "", "", "Dinas Pariwisata Kreatif", "SKPD"),
        ("salah nama", "Salah", "", "", "", "", "", "Staf"),
        ("nip.salah", "Nip", "196602301988031001", "", "", "", "", "Staf"),
        ("peran.aneh", "Aneh", "", "", "", "", "", "Bendahara"),
        ("campur", "Campur", "", "", "", "", "Dinas Sosial", "SKPD, Kasubag"),
        ("ANI.DINSOS", "Ani lagi", "", "", "", "", "Dinas Sosial", ""),
        ("surel", "Surel", "", "", "", "bukan-email", "", "Staf"),
        ("panjang", "x" * 151, "", "", "", "", "", "Staf"),
    ]
    page = preview(admin_client, xlsx(rows))
    said = refusals(page)
    assert any(s.startswith("Baris 3, kolom G (SKPD): SKPD “Dinas Pariwisata Kreatif” tidak ada dalam daftar SKPD")
               and "Impor tidak membuat SKPD baru" in s for s in said), said
    assert any(s.startswith("Baris 4, kolom A (Nama pengguna): Nama pengguna “salah nama” hanya boleh") for s in said)
    assert "Baris 5, kolom C (NIP): Tanggal lahir pada NIP (8 angka pertama) bukan tanggal yang ada." in said
    assert any(s.startswith("Baris 6, kolom H (Peran): Peran “Bendahara” tidak dikenal") for s in said)
    assert any(s.startswith("Baris 7, kolom H (Peran): Peran SKPD tidak dapat digabung") for s in said)
    assert "Baris 8, kolom A (Nama pengguna): Nama pengguna “ANI.DINSOS” sudah ada di baris 2 berkas ini: satu orang satu baris." in said
    assert any(s.startswith("Baris 9, kolom F (E-mail): “bukan-email” bukan alamat e-mail") for s in said)
    assert "Baris 10, kolom B (Nama lengkap): Nama lengkap paling banyak 150 karakter; terisi 151." in said
    # No button to save what would be half of the file.
    assert 'name="rencana"' not in page.content.decode() and "Tidak ada yang disimpan." in page.content.decode()
    assert not Skpd.objects.filter(nama_pendek__icontains="Pariwisata Kreatif").exists()
    assert not User.objects.filter(username__in=["ani.dinsos", "campur", "surel"]).exists()


def test_a_real_spreadsheets_mess_is_read_as_the_admin_meant(admin_client, people):
    """A title above the header, headings in other words and cases, blank rows, trailing spaces, a
    spaced NIP, the agency by its abbreviation in lower case, roles written as people write them."""
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    dinkes.singkatan = dinkes.singkatan or "Dinkes"
    dinkes.save()
    headings = ["No.", "Username ", "NAMA", "NIP", "Jabatan", "Pangkat / Gol.", "Email", "OPD", "Hak Akses", "Keterangan"]
    rows = [
        (1, " rina.kasubag ", "Rina Kartika,  S.Sos. ", " 19850101 201001 2 001 ", "Kepala Subbagian TU ", "III/c ",
         " Rina@Kesra.example.go.id ", None, "Kepala Sub Bagian dan Tim", "catatan"),
        (None, None, None, None, None, None, None, None, None, None),
        (None, "   ", "", "", "", "", "", "", "", ""),
        (2, "petugas.dinkes", "Petugas Dinkes Dua", "198901012015031002", None, None, None,
         f" {dinkes.singkatan.lower()} ", None, None),
        (3, "kabag.baru", "Kabag Baru", "197501012000031005", "Kepala Bagian", "IV/a", None, None, "kepala bagian", None),
    ]
    page = preview(admin_client, xlsx(rows, headings, before=[["DAFTAR PEGAWAI BIRO KESRA"], []]))
    assert refusals(page) == []
    assert any("Kolom J “Keterangan” tidak dibaca" in note for note in page.context["plan"].notes)
    confirm(admin_client, page)
    rina = User.objects.get(username="rina.kasubag")
    assert rina.nama == "Rina Kartika, S.Sos." and rina.nip == "198501012010012001" and rina.jabatan == "Kepala Subbagian TU"
    assert rina.email == "Rina@kesra.example.go.id" and rina.own_roles == {"kasubag", "tim"}
    petugas = User.objects.get(username="petugas.dinkes")
    assert petugas.skpd == dinkes and petugas.own_roles == {"skpd"}
    assert User.objects.get(username="kabag.baru").own_roles == {"kabag"}


def test_a_csv_from_excel_set_to_indonesian_is_read(admin_client, people):
    text = ("Nama pengguna;Nama lengkap;NIP;SKPD;Peran\r\n"
            "dinsos.dua;Petugas Dinsos Dua;19900202 201503 2 001;Dinas Sosial;Operator OPD\r\n"
            ";;;;\r\n"
            "nip.angka;Nip Angka;1,99002E+17;Dinas Sosial;SKPD\r\n")
    page = preview(admin_client, csv_file(text))
    said = refusals(page)
    assert len(said) == 1 and said[0].startswith("Baris 4, kolom C (NIP): NIP ini tersimpan sebagai angka")
    page = preview(admin_client, csv_file(text.replace("nip.angka;Nip Angka;1,99002E+17", "nip.angka;Nip Angka;"),
                                          encoding="cp1252"))
    assert refusals(page) == []
    confirm(admin_client, page)
    assert User.objects.get(username="dinsos.dua").skpd.nama_pendek == "Dinas Sosial"


def test_a_nip_typed_as_a_number_in_excel_is_refused_not_rounded(admin_client, people):
    page = preview(admin_client, xlsx([("angka", "Angka", 1.98005122005011e17, "", "", "", "", "Staf")]))
    assert refusals(page)[0].startswith("Baris 2, kolom C (NIP): NIP ini tersimpan sebagai angka")
    # Nor is the row previewed as if it would be added without its NIP.
    assert page.context["plan"].rows == []


def test_locked_legacy_and_odd_files_are_refused_in_words(admin_client, people):
    legacy = SimpleUploadedFile("pegawai.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "Excel 97-2003" in refusals(preview(admin_client, legacy))[0]
    assert "Berkas rusak" in refusals(preview(admin_client, SimpleUploadedFile("a.xlsx", b"PK\x03\x04rusak")))[0]
    assert "XLSX (Excel) atau CSV" in refusals(preview(admin_client, SimpleUploadedFile("a.pdf", b"%PDF-1.7")))[0]
    assert "Judul kolom tidak ditemukan" in refusals(preview(admin_client, xlsx([("a", "b")], headings=["Foo", "Bar"])))[0]


def test_the_same_file_imported_twice_changes_nothing_the_second_time(admin_client, people):
    confirm(admin_client, preview(admin_client, xlsx(OFFICERS)))
    users, logged = User.objects.count(), LogEntry.objects.count()
    page = preview(admin_client, xlsx(OFFICERS))
    assert "0 pengguna akan ditambahkan, 0 diubah, 2 tidak berubah." in page.content.decode()
    assert 'name="rencana"' not in page.content.decode()
    assert User.objects.count() == users and LogEntry.objects.count() == logged


def test_a_preview_confirmed_twice_writes_once(admin_client, people):
    page = preview(admin_client, xlsx(OFFICERS))
    confirm(admin_client, page)
    users, logged = User.objects.count(), LogEntry.objects.count()
    again = confirm(admin_client, page)
    assert again.status_code == 302
    assert User.objects.count() == users and LogEntry.objects.count() == logged


def test_a_row_for_an_existing_account_changes_only_what_it_fills(admin_client, people):
    staf = people["staf"]
    old_nama = staf.nama
    page = preview(admin_client, xlsx([(staf.username, "", "", "Analis Kebijakan Ahli Muda", "", "", "", "Tim")]))
    assert refusals(page) == []
    row = page.context["plan"].rows[0]
    assert row.action == "ubah" and any(c.endswith("→ Analis Kebijakan Ahli Muda") for c in row.changes)
    assert "Peran ditambah: Tim" in row.changes
    confirm(admin_client, page)
    staf.refresh_from_db()
    assert staf.jabatan == "Analis Kebijakan Ahli Muda" and staf.nama == old_nama
    assert User.objects.get(pk=staf.pk).own_roles == {"staf", "tim"}
    assert LogEntry.objects.filter(object_id=str(staf.pk), action_flag=CHANGE).exists()


def test_a_nip_or_email_of_another_account_is_refused(admin_client, people):
    kabiro = people["kabiro"]
    kabiro.nip, kabiro.email = "196608011988031001", "kabiro@kesra.example.go.id"
    kabiro.save()
    page = preview(admin_client, xlsx([
        ("orang.lain", "Orang Lain", "19660801 198803 1 001", "", "", "", "", "Staf"),
        ("orang.kedua", "Orang Kedua", "", "", "", "KABIRO@kesra.example.go.id", "", "Staf"),
    ]))
    said = refusals(page)
    assert said[0].startswith("Baris 2, kolom C (NIP): NIP 19660801 198803 1 001 sudah tercatat untuk pengguna “kabiro”")
    assert said[1].startswith("Baris 3, kolom F (E-mail): E-mail KABIRO@kesra.example.go.id sudah dipakai pengguna “kabiro”")


def staff(codenames) -> Client:
    person = User.objects.create(username="operator", nama="Operator Admin", is_staff=True)
    person.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(person)
    return client


IMPORTER = ["view_user", "add_user", "change_user", "add_userrole", "view_userrole", "change_userrole"]


def test_who_may_import_is_the_policys_answer(people):
    for codenames in ([], ["view_user", "change_user"], ["view_user", "add_user", "change_user"]):
        User.objects.filter(username="operator").delete()
        client = staff(codenames)
        assert client.get(URL).status_code == 403
        assert client.get(URL + "templat/").status_code == 403
        assert client.post(URL, {"berkas": xlsx(OFFICERS)}).status_code == 403
    User.objects.filter(username="operator").delete()
    client = staff(IMPORTER)
    assert URL in client.get("/admin/workflow/user/").content.decode()
    assert client.get(URL).status_code == 200
    assert URL not in client_for_agency(people).get("/admin/workflow/user/").content.decode()


def client_for_agency(people) -> Client:
    client = Client()
    client.force_login(people["dinkes"])
    return client


def test_staff_who_may_import_change_no_admin_account_and_give_no_admin_rights(people):
    client = staff(IMPORTER)
    admin = people["admin"]
    headings = [*HEADINGS, "Superuser", "Staf admin"]
    page = preview(client, xlsx([
        (admin.username, "Diambil Alih", "", "", "", "operator@example.go.id", "", "Kabiro", "ya", "ya"),
        ("operator", "", "", "Kepala", "", "", "", "Kabiro", "", ""),
        ("teman", "Teman Operator", "", "", "", "", "", "Staf", "ya", "ya"),
    ], headings))
    said = refusals(page)
    assert said[0].startswith(f"Baris 2, kolom A (Nama pengguna): Akun “{admin.username}” adalah akun admin")
    assert said[1].startswith("Baris 3, kolom A (Nama pengguna): Akun “operator” adalah akun admin")
    assert any("Kolom I “Superuser”, J “Staf admin” tidak dibaca" in note for note in page.context["plan"].notes)
    # Without the refused rows, the friend is made, with no admin rights.
    page = preview(client, xlsx([("teman", "Teman Operator", "", "", "", "", "", "Staf", "ya", "ya")], headings))
    confirm(client, page)
    teman = User.objects.get(username="teman")
    assert not teman.is_staff and not teman.is_superuser
    admin.refresh_from_db()
    assert admin.nama != "Diambil Alih" and not User.objects.get(username="operator").own_roles


def test_an_agency_officer_is_never_made_of_an_admin_account(admin_client, people):
    operator = User.objects.create(username="operator", nama="Operator", is_staff=True)
    page = preview(admin_client, xlsx([(operator.username, "", "", "", "", "", "Dinas Sosial", "SKPD")]))
    assert refusals(page)[0].startswith("Baris 2, kolom G (SKPD): Petugas SKPD tidak dapat menjadi staf admin")


def test_a_row_changed_by_another_admin_after_the_preview_is_not_written_unseen(admin_client, people):
    page = preview(admin_client, xlsx(OFFICERS))
    User.objects.create(username="budi.dinkes", nama="Budi yang lain")
    after = confirm(admin_client, page)
    assert after.status_code == 200 and after.context["changed_meanwhile"]
    assert not User.objects.filter(username="sari.biro").exists()
    assert User.objects.get(username="budi.dinkes").nama == "Budi yang lain"


def test_a_forged_plan_is_refused(admin_client, people):
    page = admin_client.post(URL, {"rencana": "palsu"}, follow=True)
    assert "Pratinjau tidak dikenali" in page.content.decode()


def test_the_queries_do_not_grow_with_the_rows(admin_client, people):
    counted = []
    for first, count in ((0, 5), (100, 40)):
        rows = [(f"petugas{n}", f"Petugas {n}", "", "", "", f"p{n}@example.go.id", "Dinas Sosial", "SKPD")
                for n in range(first, first + count)]
        with CaptureQueriesContext(connection) as previewed:
            page = preview(admin_client, xlsx(rows))
        with CaptureQueriesContext(connection) as confirmed:
            confirm(admin_client, page)
        counted.append((len(previewed), len(confirmed)))
    assert User.objects.filter(username__startswith="petugas").count() == 45
    # The first import also reads what a process caches once (the content type of the admin's log).
    assert counted[1][0] <= counted[0][0] and counted[1][1] <= counted[0][1], counted


def test_a_write_failing_halfway_leaves_nothing(admin_client, people, monkeypatch):
    """All or nothing: the accounts are inserted before their roles; a failure at the roles (another
    admin's insert meanwhile) takes the accounts back too, and the preview is shown again."""
    from django.db import IntegrityError

    from workflow.models import UserRole

    page = preview(admin_client, xlsx(OFFICERS))
    logged = LogEntry.objects.count()

    def clash(*args, **kwargs):
        raise IntegrityError("peran_unik_per_pengguna")

    monkeypatch.setattr(UserRole.objects, "bulk_create", clash)
    after = confirm(admin_client, page)
    assert after.status_code == 200 and after.context["changed_meanwhile"]
    assert not User.objects.filter(username__in=["budi.dinkes", "sari.biro"]).exists()
    assert LogEntry.objects.count() == logged


def test_hostile_cells_are_refused_or_cleaned_never_a_server_error(admin_client, people):
    text = ("Nama pengguna,Nama lengkap,NIP,E-mail,SKPD,Peran\n"
            "nul\x00ada,Nama\x00Nul,1980\x000512,a\x00@b.id,Dinas\x00Sosial,SKPD\x00\n"
            f"{'p' * 5000},{'n' * 5000},{'1' * 5000},{'e' * 5000}@x.id,{'s' * 5000},{'r' * 5000}\n"
            '"tidak ditutup,Nama,,,,Staf\n')
    page = preview(admin_client, csv_file(text))
    assert refusals(page) and 'name="rencana"' not in page.content.decode()
    assert User.objects.filter(username__startswith="nul").count() == 0


def test_the_template_filled_in_comes_back_clean(admin_client, people):
    book = load_workbook(io.BytesIO(admin_client.get(URL + "templat/").content))
    sheet = book["Pengguna"]
    assert sheet["C2"].number_format == "@"  # a NIP typed there stays text, all 18 digits
    for column, value in enumerate(["tim.baru", "Anggota Tim Baru", "198203032006041002", "Fungsional", "III/c", "",
                                    "", "tim"], start=1):
        sheet.cell(row=2, column=column, value=value)
    data = io.BytesIO()
    book.save(data)
    page = preview(admin_client, SimpleUploadedFile("templat-impor-pengguna.xlsx", data.getvalue()))
    assert refusals(page) == [] and [row.line for row in page.context["plan"].rows] == [2]
    confirm(admin_client, page)
    assert User.objects.get(username="tim.baru").own_roles == {"tim"}


def test_hidden_and_filtered_out_rows_are_not_imported_and_the_preview_says_so(admin_client, people):
    """A list filtered to one agency, or with rows folded away, imports what the admin sees: the
    rows Excel hides are named in the preview, never made into accounts unseen."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for number in range(1, 5):
        sheet.append([f"petugas{number}", f"Petugas {number}", "", "", "", "", "Dinas Kesehatan", "SKPD"])
    sheet.auto_filter.ref = "A1:H5"
    sheet.row_dimensions[3].hidden = True  # filtered out
    sheet.row_dimensions[5].hidden = True  # folded away, with a NIP typed as a number
    sheet["C5"] = 198005122005011003
    data = io.BytesIO()
    book.save(data)

    page = preview(admin_client, SimpleUploadedFile("pegawai.xlsx", data.getvalue()))
    assert refusals(page) == []
    text = page.content.decode()
    assert "2 pengguna akan ditambahkan" in text
    assert "2 baris tersembunyi atau tersaring tidak dibaca (baris 3, 5)" in text
    confirm(admin_client, page)
    made = set(User.objects.filter(username__startswith="petugas").values_list("username", flat=True))
    assert made == {"petugas1", "petugas3"}


def test_a_cell_merged_down_over_several_people_counts_for_each_of_them(admin_client, people):
    """An office's list writes the agency once in a cell merged down over its officers' rows, as
    its roles: the admin sees "Dinas Kesehatan" beside each of them, and each is imported with it.
    The title merged across the columns above the header stays a title."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DAFTAR PENGGUNA SOP-IKU 2027"])
    sheet.merge_cells("A1:H1")
    sheet.append(HEADINGS)
    sheet.append(["siti.dinkes", "Siti Aminah", "", "", "", "siti@dinkes.example.go.id", "Dinas Kesehatan", "SKPD"])
    sheet.append(["budi.dinkes", "Budi Santoso", "", "", "", "", None, None])
    sheet.append(["maria.dinsos", "Maria Ulfa", "", "", "", "", "Dinas Sosial", None])
    sheet.merge_cells("G3:G4")
    sheet.merge_cells("H3:H5")
    data = io.BytesIO()
    book.save(data)

    page = preview(admin_client, SimpleUploadedFile("daftar.xlsx", data.getvalue()))
    assert refusals(page) == []
    assert "3 pengguna akan ditambahkan" in page.content.decode()
    confirm(admin_client, page)
    budi = User.objects.get(username="budi.dinkes")
    assert budi.skpd.nama_pendek == "Dinas Kesehatan" and budi.own_roles == {"skpd"}
    assert User.objects.get(username="maria.dinsos").skpd.nama_pendek == "Dinas Sosial"


def test_the_agency_column_headed_as_a_personnel_list_heads_it_is_read(admin_client, people):
    """Lists from the personnel office head the agency "Unit Kerja" (or "Satuan Kerja", "Asal
    Instansi"): that column is the SKPD, not a column left unread with every officer then refused."""
    for heading in ("Unit Kerja", "Satuan Kerja", "Asal Instansi"):
        headings = [heading if label == "SKPD" else label for label in HEADINGS]
        page = preview(admin_client, xlsx([("siti.dinkes", "Siti Aminah", "", "", "", "", "Dinas Kesehatan", "SKPD")],
                                          headings))
        assert refusals(page) == [], heading
        assert page.context["plan"].rows[0].skpd.nama_pendek == "Dinas Kesehatan"


def test_a_new_account_without_email_is_sent_to_the_button_its_page_shows(admin_client, people):
    """The preview and the confirmation told the admin to set the first password at "halaman
    pengguna › Kata sandi"; the user's page shows no "Kata sandi" but Django's "Setel sandi". They
    name the button the page has."""
    page = preview(admin_client, xlsx([("budi.dinkes", "Budi Santoso", "", "", "", "", "Dinas Kesehatan", "SKPD")]))
    told = page.content.decode()
    done = confirm(admin_client, page)
    said = " ".join(str(m) for m in done.wsgi_request._messages)
    account = User.objects.get(username="budi.dinkes")
    user_page = admin_client.get(f"/admin/workflow/user/{account.pk}/change/").content.decode()
    assert ">Setel sandi<" in user_page
    for text in (told, said):
        assert "› Kata sandi" not in text and ", Kata sandi," not in text
        assert "Setel sandi" in text


def refused_lines(page) -> list[str]:
    listed = page.content.decode().split('id="ditolak">')[1].split("</ul>")[0]
    return [" ".join(item.split()) for item in re.findall(r'<li class="error">(.*?)</li>', listed, re.S)]


def test_one_mistake_in_every_row_is_listed_once_with_its_rows(admin_client, people):
    """A NIP column typed as numbers listed 17 identical refusals, one a row: the same refusal in the
    same column is one line naming its rows, runs as ranges; the others stay each on its own."""
    rows = [(f"orang{n}", f"Orang {n}", 198005122005011e3 + n, "", "", "", "", "Staf") for n in range(17)]
    rows[10] = ("orang10", "Orang 10", "", "", "", "", "", "Direktur")  # line 12: its own refusal
    page = preview(admin_client, xlsx(rows))
    lines = refused_lines(page)
    assert len(lines) == 2
    assert lines[0].startswith("Baris 2–11, 13–18, kolom C (NIP): NIP ini tersimpan sebagai angka")
    assert lines[1].startswith("Baris 12, kolom H (Peran): Peran “Direktur” tidak dikenal")


def test_an_agencys_last_officer_moved_by_the_file_is_said_as_the_user_page_says_it(admin_client, people, walk):
    from workflow.steps import STEP_BY_NUMBER

    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    page = preview(admin_client, xlsx([("dinkes", "", "", "", "", "", "Dinas Sosial", "SKPD")]))
    assert refusals(page) == [] and page.context["plan"].rows[0].action == "ubah"
    done = admin_client.post(URL, {"rencana": page.context["rencana"]}, follow=True)
    text = " ".join(done.content.decode().split())
    assert User.objects.get(username="dinkes").skpd.nama_pendek == "Dinas Sosial"
    assert ("Dinas Kesehatan kini tidak punya petugas (pengguna aktif berperan SKPD), padahal 1 dosier masih "
            "menunggu IKU-nya (Penetapan IKU 2027") in text
