"""The API's shapes of a dossier, its history, its IKU rows and versions, and its documents. Field
names are Indonesian, as the pages' words are; `?ringkas=1` gives a dossier's short form."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from iku.rows import FIELDS
from workflow import policy, sla
from workflow.models import AuditEvent, Document, Dossier, Invitation
from workflow.steps import FINAL_STATES


class DossierShort(serializers.ModelSerializer):
    posisi = serializers.CharField(source="state")
    langkah = serializers.SerializerMethodField()
    revisi = serializers.IntegerField(source="revision")

    class Meta:
        model = Dossier
        fields = ("id", "tahun", "judul", "posisi", "langkah", "revisi")

    def get_langkah(self, dossier) -> int | None:
        return dossier.step.number if dossier.step else None


class TakenOut(serializers.Serializer):
    sejak = serializers.DateTimeField(allow_null=True, help_text=(
        "Sejak kapan SKPD Anda dinonaktifkan admin; null bila dinonaktifkan sebelum saat itu dicatat."))
    keterangan = serializers.CharField(help_text="Yang dibaca petugasnya di kotak Menunggu saya dan pemberitahuan.")


def taken_out(dossier, context):
    """The reader's agency when the admin deactivated it and `dossier` still runs: the round no
    longer waits on it, and its deadline is not the agency's (policy.taken_out_invitations); else None."""
    agency = context.get("taken_out")
    return agency if agency is not None and dossier.state not in FINAL_STATES else None


class DossierFull(DossierShort):
    posisi_label = serializers.CharField(source="state_label")
    masuk_posisi = serializers.DateTimeField(source="state_entered_at")
    tenggat = serializers.SerializerMethodField(help_text=(
        "Tenggat posisi kini; null tanpa tenggat, dan bagi petugas SKPD yang dikeluarkan dari putaran ini "
        "(skpd_dikeluarkan), yang tidak lagi ditunggu."))
    terlambat = serializers.SerializerMethodField(help_text=(
        "Posisi kini melewati tenggatnya; false bagi petugas SKPD yang dikeluarkan dari putaran ini."))
    skpd_dikeluarkan = serializers.SerializerMethodField(help_text=(
        "Bagi petugas SKPD: null, atau, bila admin menonaktifkan SKPD-nya selagi putaran ini berjalan, sejak kapan "
        "dan keterangannya: putaran tidak lagi menunggu IKU-nya, tenggatnya tidak berlaku baginya, yang sudah "
        "dikirim tetap tercatat."))
    dibuat = serializers.DateTimeField(source="created_at")
    ditutup = serializers.DateTimeField(source="closed_at", allow_null=True)
    skpd_diundang = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta(DossierShort.Meta):
        fields = (*DossierShort.Meta.fields, "posisi_label", "masuk_posisi", "tenggat", "terlambat",
                  "skpd_dikeluarkan", "dibuat", "ditutup", "nomor_kepgub", "tanggal_kepgub", "skpd_diundang", "url")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_tenggat(self, dossier):
        # The round's deadline was read by a deactivated agency's program as its own, late after it.
        if dossier.due_at is None or taken_out(dossier, self.context) is not None:
            return None
        return serializers.DateTimeField().to_representation(dossier.due_at)

    def get_terlambat(self, dossier) -> bool:
        return taken_out(dossier, self.context) is None and sla.is_overdue(dossier, self.context["now"])

    @extend_schema_field(TakenOut(allow_null=True))
    def get_skpd_dikeluarkan(self, dossier):
        agency = taken_out(dossier, self.context)
        if agency is None:
            return None
        return TakenOut({"sejak": agency.nonaktif_sejak, "keterangan": agency.taken_out_note()}).data

    def get_skpd_diundang(self, dossier) -> list[dict]:
        # An agency sees its own place in the round, not who else was invited (as its page shows it).
        own = self.context["own_skpd"]
        named = kept_short_names(dossier)
        agencies = [{"id": s.pk, "nama": named.get(s.pk, s.nama_pendek)} for s in dossier.invited.all()
                    if own is None or s.pk == own]
        return sorted(agencies, key=lambda agency: agency["nama"].casefold()) if named else agencies

    def get_url(self, dossier) -> str:
        return reverse("api_dossier", args=[dossier.pk])


def kept_short_names(dossier) -> dict[int, str]:
    """{agency id: short name} as a forwarded round kept them (Invitation.keep_names), a later rename
    being for the rounds to come; {} for a running round, which names the agencies as they are. A
    list's are read with it (`kept_names`), one dossier's here."""
    if dossier.forwarded_at is None:
        return {}
    kept = getattr(dossier, "kept_invitations", None)
    if kept is not None:
        return {invitation.skpd_id: invitation.nama_pendek_tercatat for invitation in kept}
    return {pk: short for pk, (_, short) in Invitation.objects.names_of_record(dossier).items()}


def kept_names() -> Prefetch:
    """A list's forwarded rounds' kept names, in one query for the page (`kept_short_names`)."""
    return Prefetch("invitation_set", to_attr="kept_invitations", queryset=Invitation.objects.exclude(
        nama_pendek_tercatat="").only("dossier_id", "skpd_id", "nama_pendek_tercatat"))


def _only_short_required(fields: dict) -> dict:
    # drf-spectacular lists a read-only field as required in an answer; unmarked, only the short
    # form's fields stay required, as `?ringkas=1` returns only those.
    for name, field in fields.items():
        if name not in DossierShort.Meta.fields:
            field.required = False
            field.read_only = False
    return fields


@extend_schema_serializer(component_name="Dosier", description=(
    "Satu dosier. Dengan ?ringkas=1 hanya id, tahun, judul, posisi, langkah dan revisi; tanpanya semua kolom."))
class DossierDoc(DossierFull):
    """The schema's dossier only (the answers are DossierFull or DossierShort)."""

    def get_fields(self):
        return _only_short_required(super().get_fields())


def dossier_context(request) -> dict:
    user = request.user
    scoped = policy.scoped_to_invitations(user)
    # An agency's officer whose agency the admin deactivated: its running rounds wait on it no more.
    left = user.skpd if scoped and user.skpd_id and not policy.agency_active(user) else None
    return {"request": request, "now": timezone.now(), "own_skpd": user.skpd_id if scoped else None, "taken_out": left}


class EventSerializer(serializers.ModelSerializer):
    waktu = serializers.DateTimeField(source="at")
    pelaku = serializers.CharField(source="actor_label")
    tindakan = serializers.CharField(source="action")
    tindakan_label = serializers.CharField(source="action_label")
    dari = serializers.CharField(source="from_state")
    ke = serializers.CharField(source="to_state")
    catatan = serializers.CharField(source="note")
    token_api = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ("waktu", "pelaku", "tindakan", "tindakan_label", "dari", "ke", "catatan", "token_api")

    def get_token_api(self, event) -> str | None:
        return (event.data or {}).get("token_api")


@extend_schema_serializer(component_name="DosierDenganRiwayat", description=(
    "Satu dosier. Dengan ?ringkas=1 hanya id, tahun, judul, posisi, langkah dan revisi; tanpanya semua kolom, "
    "dan bagi yang boleh membaca riwayat dosier ini: riwayat (paling banyak 20 peristiwa terakhir), riwayat_jumlah "
    "dan riwayat_url (seluruh riwayat, per halaman)."))
class DossierDetailDoc(DossierDoc):
    """The schema's dossier as its own address answers it."""

    riwayat = EventSerializer(many=True, required=False,
                              help_text="Paling banyak 20 peristiwa terakhir, yang terlama dahulu (yang terakhir di ujung).")
    riwayat_jumlah = serializers.IntegerField(required=False, help_text="Banyak peristiwa seluruh riwayat.")
    riwayat_url = serializers.CharField(required=False, help_text="Alamat seluruh riwayat, per halaman (kursor, ukuran).")

    class Meta(DossierFull.Meta):
        fields = (*DossierFull.Meta.fields, "riwayat", "riwayat_jumlah", "riwayat_url")


class IkuRowSerializer(serializers.Serializer):
    """One row of the table as the decree's Lampiran numbers it."""

    nomor = serializers.IntegerField(allow_null=True)
    skpd = serializers.CharField()
    peringatan = serializers.ListField(child=serializers.CharField())
    dikeluarkan = serializers.CharField()
    komentar = serializers.CharField()

    def to_representation(self, numbered):
        number, agency, row = numbered
        return {"nomor": number, "skpd": agency, **{name: getattr(row, name) for name in FIELDS},
                "dikeluarkan": row.dikeluarkan, "komentar": row.komentar, "peringatan": row.warnings}


class VersionSerializer(serializers.Serializer):
    nomor = serializers.IntegerField()
    dikirim = serializers.DateTimeField(source="sent_at")
    dikirim_oleh = serializers.CharField(source="sent_by_nama")
    catatan = serializers.CharField()
    baris = serializers.ListField(source="rows", child=serializers.DictField())


class DocumentSerializer(serializers.ModelSerializer):
    langkah = serializers.IntegerField(source="step")
    jenis = serializers.CharField(source="kind")
    jenis_label = serializers.CharField(source="get_kind_display")
    nama_berkas = serializers.SerializerMethodField()
    ukuran = serializers.SerializerMethodField()
    dibuat_aplikasi = serializers.BooleanField(source="generated")
    diunggah = serializers.DateTimeField(source="uploaded_at")
    unduh = serializers.SerializerMethodField()
    naskah = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ("id", "langkah", "jenis", "jenis_label", "nama_berkas", "ukuran", "dibuat_aplikasi", "keterangan",
                  "diunggah", "unduh", "naskah")

    # Once signed, the file served is the signed one: its own name and size, not the draft's.
    def get_nama_berkas(self, document) -> str:
        made = document.made
        return made.final_name if made is not None and made.is_final else document.original_name

    def get_ukuran(self, document) -> int:
        made = document.made
        return made.final_size if made is not None and made.is_final else document.size

    def get_unduh(self, document) -> str:
        """The file, read with the same token (api_document_file); absolute, as the pages' links."""
        path = reverse("api_document_file", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_naskah(self, document) -> dict | None:
        made = document.made
        if made is None:
            return None
        return {"nomor": made.nomor, "versi": made.versi, "token": made.token, "sha256": made.sha256,
                "ditandatangani": made.signed_at, "token_final": made.final_token or None,
                "sha256_final": made.final_sha256 or None}
