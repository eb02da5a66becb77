"""Demo people and dossiers, made through the same services a user goes through.

Used by `manage.py demo_data` and by the tests' factories. Every function that acts takes `at`, the
moment it acts (now when None), so the demo can play a round out over past weeks.
"""

import datetime
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from iku import demo as iku_demo
from iku.models import IkuRow
from workflow import services
from workflow.actions import Action
from workflow.gates import missing_submissions
from workflow.models import Document, Meeting, Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import DI_GUBERNUR, SELESAI, STEP_BY_NUMBER, STEPS, DocKind, IkuStage

DEMO_PASSWORD = "sopiku-demo"

# username, roles, name, jabatan, pangkat/golongan, NIP, SKPD short name
DEMO_PEOPLE = [
    ("kasubag", (Role.KASUBAG, Role.TIM), "Rina Marlina, S.E., M.Si.", "Kepala Subbagian Tata Usaha",
     "Penata Tingkat I (III/d)", "198203152006042003", None),
    ("staf", (Role.STAF,), "Andi Saputra, S.Kom.", "Pengelola Data Kinerja", "Penata Muda (III/a)",
     "199107102019031008", None),
    ("kabag", (Role.KABAG,), "Drs. Hendra Gunawan, M.M.", "Kepala Bagian Kesejahteraan Sosial",
     "Pembina (IV/a)", "197505202000031004", None),
    ("kabiro", (Role.KABIRO,), "Dr. H. Syarif Abdullah, M.Si.", "Kepala Biro Kesejahteraan Rakyat",
     "Pembina Utama Muda (IV/c)", "196608011988031001", None),
    ("tim", (Role.TIM,), "Yuliana Putri, S.Sos.", "Anggota Tim Penyelenggara", "Penata (III/c)",
     "198811232010012002", None),
    ("dinkes", (Role.SKPD,), "Bambang Sutrisno, S.K.M.", "Kepala Subbagian Program Dinas Kesehatan",
     "Penata Tingkat I (III/d)", "198004172005011006", "Dinas Kesehatan"),
    ("dinsos", (Role.SKPD,), "Maria Ulfa, S.Sos.", "Kepala Subbagian Program Dinas Sosial",
     "Penata (III/c)", "198512092009022004", "Dinas Sosial"),
]
DEMO_SKPD = ["Dinas Kesehatan", "Dinas Sosial", "Dinas Pendidikan dan Kebudayaan"]


@lru_cache(maxsize=None)
def placeholder_pdf(title: str) -> bytes:
    import weasyprint

    html = (
        "<h2 style='font-family:sans-serif'>PEMERINTAH PROVINSI KALIMANTAN BARAT</h2>"
        f"<p style='font-family:sans-serif'>{title}</p><p style='font-family:sans-serif'>Dokumen contoh.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def ensure_people() -> dict[str, User]:
    # One hash for the one, published, demo password: the real hasher costs a third of a second a user.
    hashed = None
    people = {}
    for username, roles, nama, jabatan, pangkat, nip, skpd_name in DEMO_PEOPLE:
        skpd = Skpd.objects.get(nama_pendek=skpd_name) if skpd_name else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"nama": nama, "jabatan": jabatan, "pangkat_golongan": pangkat, "nip": nip, "skpd": skpd,
                      "email": f"{username}@example.go.id"},
        )
        if created:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save()
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
        people[username] = user
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser("admin", "admin@example.go.id", None, nama="Administrator")
        admin.password = hashed or make_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    return people


def ensure_certificates(people) -> bool:
    """A demo CA, trusted, with a certificate for the institution and one for the Kabiro, unless
    certificates are installed already. True when it made them."""
    from naskah import demo_ca

    if demo_ca.installed():
        return False
    demo_ca.install_demo([people["kabiro"]])
    return True


def upload(dossier, user, kind, content: bytes | None = None, at=None):
    label = DocKind(kind).label
    data = content if content is not None else placeholder_pdf(label)
    document = Document(kind=kind, original_name=f"{kind}.pdf", content_type="application/pdf", size=len(data))
    document.file.save(f"{kind}.pdf", ContentFile(data), save=False)
    dossier.refresh_from_db()
    return services.perform(dossier, user, Action.UNGGAH, revision=dossier.revision, at=at, document=document)


def sample_row(skpd) -> IkuRow:
    return IkuRow(
        sasaran_strategis=f"Meningkatnya kinerja layanan {skpd.nama_pendek}",
        indikator=f"Indeks kepuasan masyarakat terhadap layanan {skpd.nama_pendek}",
        penjelasan="Mengukur mutu layanan yang dirasakan masyarakat",
        formula="Rata-rata nilai survei kepuasan masyarakat (Permenpan RB 14/2017)",
        satuan="indeks",
        target="82,5",
        sumber_data="Laporan survei kepuasan masyarakat",
        penanggung_jawab=skpd.nama_pendek,
    )


def submit_iku(dossier, user, stage_label="IKU", at=None):
    dossier.refresh_from_db()
    return services.perform(
        dossier, user, Action.AJUKAN_IKU, revision=dossier.revision, at=at, rows=[sample_row(user.skpd)],
        catatan=f"{stage_label} {user.skpd.nama_pendek}",
    )


def finish(dossier, user, at=None, **fields):
    dossier.refresh_from_db()
    return services.perform(dossier, user, Action.SELESAIKAN, revision=dossier.revision, at=at, **fields)


def prepare_step(dossier, people, at=None, documents=False):
    """Gather what the dossier's current step needs before it may finish. With `documents`, what
    the app makes (letters, minutes, the Nota, the draft decree) is made as an officer would make
    it; otherwise a placeholder PDF stands in (fast, for tests)."""
    from naskah.generate import generate_with_defaults
    from naskah.generators import GENERATORS

    step = dossier.step
    for kind in step.requires:
        upload(dossier, people["staf"], kind, at=at)
    for kind in step.produces:
        if documents and kind in GENERATORS:
            generate_with_defaults(dossier, people["kasubag"], kind, at=at)
        else:
            upload(dossier, people["staf"], kind, at=at)
    if step.iku_stage:
        for username in ("dinkes", "dinsos"):
            if people[username].skpd_id in dossier.invited.values_list("pk", flat=True):
                submit_iku(dossier, people[username], IkuStage(step.iku_stage).label, at=at)
    if step.min_meetings:
        dossier.refresh_from_db()
        meeting = Meeting(
            held_at=at or timezone.now(), tempat="Ruang Rapat Biro Kesra", pimpinan=people["kabiro"].display_name,
            ringkasan="Pembahasan IKU yang disusun SKPD; SKPD diminta menyempurnakan formula.",
        )
        services.perform(dossier, people["staf"], Action.CATAT_RAPAT, revision=dossier.revision, at=at, meeting=meeting)


def finish_step(dossier, people, at=None, signing=None):
    """The step finished by its official; `signing` (a naskah.signers.Plan): how the Nota Dinas is
    signed where the step signs it, else with the installed certificate."""
    step = dossier.step
    actor = {Role.KASUBAG: "kasubag", Role.KABAG: "kabag", Role.KABIRO: "kabiro"}[step.actors[0]]
    fields = {}
    if signing is not None and DocKind.NOTA_DINAS in step.signs:
        fields["tanda_tangan"] = signing
    if step.iku_awaited:
        fields["skpd_belum_mengirim"] = missing_submissions(dossier, step)
    return finish(dossier, people[actor], at=at, **fields)


def walk_to(dossier, people, state, returns: int = 0, clock=None, documents=False, signing=None):
    """Take a dossier forward until it stands at `state`, returning it at step 7 `returns` times;
    the Nota signed as `signing` plans (finish_step).

    With a DemoClock, each step takes about half its Waktu, so the demo's history looks lived in.
    """
    returned = 0
    dossier.refresh_from_db()
    while dossier.state != state or (returned < returns and dossier.step and dossier.step.returns_to):
        if clock is not None and dossier.step:
            clock.spend(dossier.step, PACE)
        at = clock.now() if clock is not None else None
        if dossier.state == DI_GUBERNUR:
            services.perform(
                dossier, people["staf"], Action.CATAT_PENETAPAN, revision=dossier.revision, at=at,
                nomor_kepgub=f"{dossier.pk}/BIRO KESRA/{dossier.tahun}",
                tanggal_kepgub=timezone.localdate(at or timezone.now()),
            )
        elif dossier.step.returns_to and returned < returns:
            services.perform(
                dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, at=at,
                catatan="Formula indikator Dinas Sosial belum terukur; perbaiki lampiran.",
            )
            returned += 1
        else:
            prepare_step(dossier, people, at=at, documents=documents)
            dossier.refresh_from_db()
            step = dossier.step
            finish_step(dossier, people, at=at, signing=signing)
            # Only a step whose documents several sign leaves one waiting beside its signer: asking
            # after every step read each signed file again for nothing.
            if documents and step.signatories:
                sign_beside(dossier, people, at=at)
        dossier.refresh_from_db()
    return dossier


def sign_beside(dossier, people, at=None):
    """Each document that waits for one of `people` to sign beside its first signer (the Notulen's
    Pencatat) signed by them, as they would on their own page."""
    from naskah import cosign

    for person in people.values():
        for made, _ in cosign.offered(person, dossier):
            cosign.sign(made, person, at=at)


@contextmanager
def through_bsre(official):
    """A signing plan for `official` through the BSrE stand-in (naskah.bsre_standin), which serves on
    a free loopback port while the block runs. Its root stays trusted here, so what it signed
    verifies afterwards (its revocation list is embedded: nothing is fetched from it then);
    `official`'s own signing method is left as it was."""
    from naskah import signers
    from naskah.management.commands import bsre_standin

    standin = bsre_standin.trusted(official)
    url = standin.start()
    try:
        with override_settings(SOP_BSRE_URL=url, SOP_BSRE_USER=bsre_standin.DEMO_CLIENT,
                               SOP_BSRE_PASSWORD=bsre_standin.DEMO_CLIENT_PASSWORD):
            yield signers.Plan(signers.BSRE, nik=bsre_standin.DEMO_NIK, passphrase=bsre_standin.DEMO_PASSPHRASE)
    finally:
        standin.stop()


def open_dossier(people, tahun, judul, at=None):
    skpd = Skpd.objects.filter(nama_pendek__in=DEMO_SKPD)
    return services.create_dossier(people["kasubag"], tahun=tahun, judul=judul, invited=skpd, at=at)


def give_back_and_correct(dossier, people, at):
    services.perform(
        dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, at=at,
        catatan="Target Dinas Kesehatan belum memuat tahun; formula Dinas Sosial belum terukur.",
    )
    iku_demo.correct_after_return(dossier, people, at=at)


# Each demo step takes this share of its Waktu (in wall-clock time).
PACE = 0.5


class DemoClock:
    """The demo's own time while it is made: actions happen over past weeks, not at once."""

    def __init__(self, start):
        self.current = start

    def now(self):
        return self.current

    def spend(self, step, share: float):
        self.current += wall_time(step, share)


def wall_time(step, share: float) -> datetime.timedelta:
    unit = {"hari": datetime.timedelta(days=1), "jam": datetime.timedelta(hours=1),
            "menit": datetime.timedelta(minutes=1)}[step.waktu.unit]
    return unit * step.waktu.amount * share


def planned_walk(state, returns: int, share: float) -> datetime.timedelta:
    """How long walk_to's clock runs to reach `state`, so a demo dossier can be started that far back."""
    target = STEP_BY_NUMBER.get(int(state.rsplit("_", 1)[1])) if state.startswith("langkah_") else None
    passed = [s for s in STEPS if target is None or s.number < target.number]
    loops = [STEP_BY_NUMBER[7], STEP_BY_NUMBER[6]] * returns
    return sum((wall_time(s, share) for s in passed + loops), datetime.timedelta(0))


@transaction.atomic
def make_demo_dossiers(people) -> list:
    real_now = timezone.now()
    year = timezone.localdate().year + 1
    plans = [(year, f"Penetapan IKU {year} (contoh, langkah {s.number})", s.state, 0, None) for s in STEPS]
    # Past the Nota's signing: the Kabiro signed this one through BSrE (the stand-in), the finished
    # round's with the installed certificate.
    bsre_round = len(plans) - 1
    plans[bsre_round] = (year, f"Penetapan IKU {year} (contoh, langkah 9, Nota ditandatangani melalui BSrE)",
                         STEPS[-1].state, 0, None)
    plans += [
        (year, f"Penetapan IKU {year} (contoh, dikembalikan sekali)", STEP_BY_NUMBER[7].state, 1, None),
        # Returned by the Kabag, then the agencies' tables corrected at step 6.
        (year, f"Penetapan IKU {year} (contoh, Bahan SKPD diperbaiki)", STEP_BY_NUMBER[7].state, 0,
         give_back_and_correct),
        (year - 1, f"Penetapan IKU {year - 1}", SELESAI, 0, None),
    ]
    made = []
    for number, (tahun, judul, state, returns, then) in enumerate(plans):
        # Every third dossier has sat at its step for two weeks (longer than any holiday run), so the
        # dashboard has late work to show; the others reached their step within the last hour.
        waited = datetime.timedelta(days=14) if number % 3 == 1 else datetime.timedelta(minutes=5 + number)
        clock = DemoClock(real_now - planned_walk(state, returns, PACE) - waited)
        d = open_dossier(people, tahun, judul, at=clock.now())
        with through_bsre(people["kabiro"]) if number == bsre_round else nullcontext() as signing:
            made.append(walk_to(d, people, state, returns=returns, clock=clock, documents=True, signing=signing))
        if then is not None:
            then(d, people, clock.now())
    # At step 3 one agency has typed its table without sending it yet.
    iku_demo.leave_a_draft(made[2], people["dinkes"], real_now)
    return made
