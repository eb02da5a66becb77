"""A database made before the layout by apps (everything in `workflow`, up to its migration 0005),
with data in it, upgrades to today's layout with nothing lost: the moved models read the same rows
from the same tables."""

import datetime as dt
import importlib

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from naskah.models import NaskahRecord, NumberingRule, OfficeProfile, SerialCounter
from workflow.models import Document, Skpd
from worktime.models import Schedule, SpecialDay, WorkingHours

BEFORE = [("workflow", "0005_naskah_dinas"), ("contenttypes", "0002_remove_content_type_name"),
          ("auth", "0012_alter_user_first_name_max_length"), ("sessions", "0001_initial"),
          ("admin", "0003_logentry_add_action_flag_choices"),
          # The apps that took the tables over did not exist yet.
          ("worktime", None), ("naskah", None), ("iku", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def upgrade():
    """What `manage.py migrate` does: every migration, then post_migrate."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    emit_post_migrate_signal(0, False, connection.alias)


def fill_old_database(apps) -> dict:
    """Rows in every table that moves, written through the models as they were at workflow 0005."""
    old = {name: apps.get_model("workflow", name) for name in (
        "Skpd", "User", "Dossier", "Document", "Jadwal", "JamKerja", "HariKhusus", "ProfilKantor",
        "Penomoran", "NomorUrut", "NaskahDibuat", "IkuSubmission", "IkuRow")}
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="workflow", model="jadwal")
    # An admin permission granted on a moved model names it by its content type's id.
    special_day_type = ContentType.objects.get_or_create(app_label="workflow", model="harikhusus")[0]
    skpd = old["Skpd"].objects.create(nama="Badan Uji Migrasi", nama_pendek="Badan Uji", jenis="Badan")
    user = old["User"].objects.create(username="lama", nama="Pengguna Lama")
    now = timezone.now()
    dossier = old["Dossier"].objects.create(tahun=2026, judul="Dosier lama", created_by=user, created_at=now,
                                            state_entered_at=now)
    document = old["Document"].objects.create(dossier=dossier, step=6, kind="nota_dinas", file="dokumen/1/x.pdf",
                                              original_name="nota.pdf", uploaded_by=user, uploaded_at=now)
    ramadan = old["Jadwal"].objects.create(nama="Ramadan lama", mulai=dt.date(2026, 2, 18), sampai=dt.date(2026, 3, 19),
                                           dasar="SE Gubernur")
    old["JamKerja"].objects.create(jadwal=ramadan, hari=0, masuk=dt.time(8), pulang=dt.time(14))
    old["HariKhusus"].objects.create(tanggal=dt.date(2026, 3, 11), jenis="libur", keterangan="Pilkada")
    old["ProfilKantor"].objects.create(alamat="Jalan Lama 1")
    old["Penomoran"].objects.update_or_create(kind="nota_dinas", defaults={"kode_klasifikasi": "000.7.9"})
    old["NomorUrut"].objects.create(kind="nota_dinas", tahun=2026, terakhir=41)
    old["NaskahDibuat"].objects.create(document=document, nomor="000.7.9/41/Kesra/2026", isian={"hal": "Nota lama"})
    submission = old["IkuSubmission"].objects.create(dossier=dossier, skpd=skpd, stage="bahan", catatan="kiriman lama",
                                                     submitted_by=user, submitted_at=now)
    old["IkuRow"].objects.create(submission=submission, sasaran_strategis="Sasaran lama", indikator="Indikator lama",
                                 formula="a/b", satuan="%", target="71,24", sumber_data="BPS", penanggung_jawab="Bidang")
    return {"skpd": skpd.pk, "ramadan": ramadan.pk, "document": document.pk, "special_day_type": special_day_type.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_old_database_upgrades_to_the_apps_with_its_data_and_its_admin_permissions():
    keys = fill_old_database(migrate(BEFORE))
    upgrade()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=keys["special_day_type"]).model_class() is SpecialDay

    assert Skpd.objects.get(pk=keys["skpd"]).kind == "Badan"
    ramadan = Schedule.objects.get(pk=keys["ramadan"])
    assert (ramadan.name, ramadan.starts_on, ramadan.ends_on, ramadan.basis) == (
        "Ramadan lama", dt.date(2026, 2, 18), dt.date(2026, 3, 19), "SE Gubernur")
    assert [(h.weekday, h.opens, h.closes) for h in WorkingHours.objects.filter(schedule=ramadan)] == [
        (0, dt.time(8), dt.time(14))]
    assert SpecialDay.objects.get(date=dt.date(2026, 3, 11)).note == "Pilkada"
    assert OfficeProfile.objects.filter(alamat="Jalan Lama 1").exists()
    assert NumberingRule.objects.get(kind="nota_dinas").kode_klasifikasi == "000.7.9"
    assert SerialCounter.objects.get(kind="nota_dinas", tahun=2026).terakhir == 41
    record = NaskahRecord.objects.get(document_id=keys["document"])
    assert (record.nomor, record.isian) == ("000.7.9/41/Kesra/2026", {"hal": "Nota lama"})
    assert record.document == Document.objects.get(pk=keys["document"])
    submission = IkuSubmission.objects.get(skpd_id=keys["skpd"])
    assert submission.catatan == "kiriman lama"
    assert list(IkuRow.objects.filter(submission=submission).values_list("indikator", "target")) == [
        ("Indikator lama", "71,24")]
    # The seeded default schedule came along too, and the clock reads the moved tables.
    assert Schedule.objects.filter(is_default=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_log_chained_by_plain_sha256_is_sealed_on_upgrade_and_verifies(people, capsys):
    from django.core.management import call_command

    from workflow import demo
    from workflow.audit import chain as audit_chain
    from workflow.models import AuditEvent

    demo.walk_to(demo.open_dossier(people, 2027, "Sebelum segel"), people, "langkah_3")
    migrate([("workflow", "0021_data_version")])
    sealed_rule = importlib.import_module("workflow.migrations.0022_audit_seal")
    events = list(AuditEvent.objects.order_by("pk"))
    # Back at 0021 the log is the plain SHA-256 chain the code of that time verifies.
    prev = audit_chain.GENESIS
    for event in events:
        assert event.prev_hash == prev and event.hash == sealed_rule.sha256_hash(event, prev)
        prev = event.hash
    upgrade()
    assert audit_chain.first_break(AuditEvent.objects.order_by("pk")) is None
    assert AuditEvent.objects.order_by("pk").first().hash != events[0].hash
    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out
