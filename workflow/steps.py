"""The nine steps of SOP 400/10/Kesra-TU as data: the one place a step's text or number is spelled.

The state machine, the permission policy, the gates, the working-time clock, the templates and the
documents all read `STEPS`. Texts follow the SOP (`docs/sop-400-10-kesra-tu.txt`); who acts follows
the project's reading of the lost flowchart symbols (`docs/domain.md`, "The nine steps and who acts").
"""

from dataclasses import dataclass

from django.db import models

from workflow.roles import Role

SOP = {
    "instansi": "Pemerintah Provinsi Kalimantan Barat",
    "sekretariat": "Sekretariat Daerah",
    "unit": "Biro Kesejahteraan Rakyat",
    "nomor": "400/10/Kesra-TU",
    "judul": "Penetapan Indikator Kinerja Biro",
    "tanggal_efektif": "5 Januari 2021",
    "disahkan_oleh": "Kepala Biro Kesejahteraan Rakyat",
    "dasar_hukum": (
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Peraturan Daerah Provinsi Kalimantan Barat Nomor 8 Tahun 2016 tentang Pembentukan dan "
        "Susunan Perangkat Daerah Provinsi Kalimantan Barat",
        "Peraturan Gubernur Kalimantan Barat Nomor 95 Tahun 2016 tentang Kedudukan, Susunan "
        "Organisasi, Tugas dan Fungsi serta Tata Kerja Sekretariat Daerah Provinsi Kalimantan Barat",
    ),
    "keterkaitan": ("SOP Surat Keluar", "SOP Surat Masuk", "SOP Penyusunan Tim"),
    "peralatan": ("DPA SKPD", "Komputer", "ATK"),
    "peringatan": "Jika SOP tidak dilaksanakan maka kinerja tidak dapat terukur dengan jelas dan akurat",
}


class DocKind(models.TextChoices):
    DPA = "dpa", "DPA SKPD"
    KEPGUB_WORKSHOP = "kepgub_workshop", "Kepgub tentang workshop penetapan IKU"
    UNDANGAN = "undangan", "Undangan workshop"
    NOTULEN_PERSIAPAN = "notulen_persiapan", "Notulen rapat persiapan"
    SURAT_SKPD = "surat_skpd", "Surat ke SKPD"
    NOTULEN_PEMBAHASAN = "notulen_pembahasan", "Notulen rapat pembahasan IKU"
    NOTA_DINAS = "nota_dinas", "Nota Dinas"
    DRAFT_KEPGUB = "draft_kepgub", "Draft Penetapan IKU Provinsi"
    KEPGUB_PENETAPAN = "kepgub_penetapan", "Keputusan Gubernur yang ditandatangani (pindaian)"
    LAINNYA = "lainnya", "Dokumen pendukung lainnya"


class Signatory(models.TextChoices):
    """Who signs a document that more than one person signs, named as its form names them."""

    # The meeting's chair: the step's finishing signs as the chair.
    PIMPINAN = "pimpinan", "Pimpinan rapat"
    # Who took the minutes: signs on their own page, beside the chair (naskah.cosign).
    PENCATAT = "pencatat", "Pencatat"


class IkuStage(models.TextChoices):
    KONSEP = "konsep", "Konsep IKU"
    BAHAN = "bahan", "Bahan penyusunan IKU"


class OutputSource(models.TextChoices):
    # A document uploaded or generated during the step.
    DOKUMEN = "dokumen", "Dokumen"
    # The invited agencies' own IKU submissions.
    IKU = "iku", "Kiriman IKU SKPD"
    # The action that finishes the step records it (a paraf, a signature, a forwarding).
    TINDAKAN = "tindakan", "Dicatat oleh tindakan"


class WaktuUnit(models.TextChoices):
    HARI = "hari", "hari"
    JAM = "jam", "jam"
    MENIT = "menit", "menit"


@dataclass(frozen=True)
class Waktu:
    amount: int
    unit: str

    def __str__(self) -> str:
        return f"{self.amount} {WaktuUnit(self.unit).label}"


@dataclass(frozen=True)
class Step:
    number: int
    kegiatan: str
    ringkas: str
    pelaksana: str
    # Roles who finish the step (press its button); helpers may prepare it (upload its documents).
    actors: tuple[str, ...]
    helpers: tuple[str, ...]
    peserta: str
    kelengkapan: str
    waktu: Waktu
    output: str
    output_source: str
    action_label: str
    # Documents that must be at hand before the step may finish and come from outside the SOP. Every
    # later step's Kelengkapan is the Output of the step before it, which that step's gate checked.
    requires: tuple[str, ...] = ()
    # Documents this step produces (for output_source DOKUMEN) during its current visit.
    produces: tuple[str, ...] = ()
    iku_stage: str = ""
    # The agencies' stage the bureau may reopen for one agency here (after the Kabag returned the
    # draft over a target): that agency may send it again while it is open.
    reopens_iku: str = ""
    # The agencies' stage the bureau consolidates here into the provincial table (order, exclude,
    # comment, correct a row) that the Nota and the draft decree list.
    consolidates_iku: str = ""
    # Documents whose signature finishing this step is: rendered once more without the KONSEP mark,
    # frozen and served as signed from then on (naskah.record).
    signs: tuple[str, ...] = ()
    # A document of `signs` that more than one person signs, and their order: (kind, (Signatory,
    # ...)). The finishing signs as PIMPINAN; each other signs on their own page, once those before
    # them in the order signed (the finishing waits for those listed before PIMPINAN).
    signatories: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Documents the step's paraf, return and signing pages show inline, page by page, beside the
    # buttons: who initials or signs sees what they put their name to.
    reviews: tuple[str, ...] = ()
    # The step whose preparers (who finished it, and who made or uploaded its documents) may not
    # paraf, return or sign here, delegation or not: nobody reviews their own draft.
    independent_of: int | None = None
    min_meetings: int = 0
    returns_to: int | None = None
    keterangan: str = ""

    @property
    def state(self) -> str:
        return state_of(self.number)

    @property
    def may_upload(self) -> tuple[str, ...]:
        return self.actors + tuple(r for r in self.helpers if r not in self.actors)

    @property
    def iku_awaited(self) -> str:
        """The agencies' stage whose tables the step waits on: the one they send at it (3, 5), else the
        one it reopens for fixes (6); "" for neither."""
        return self.iku_stage or self.reopens_iku


def state_of(number: int) -> str:
    return f"langkah_{number}"


STEPS: tuple[Step, ...] = (
    Step(
        number=1,
        kegiatan="Menyurati SKPD untuk mengikuti workshop penyusunan Indikator Kinerja Utama (IKU)",
        ringkas="Undangan workshop ke SKPD",
        pelaksana="Staf menyiapkan, Kasubag mengirim (a.n. Kabiro)",
        actors=(Role.KASUBAG,),
        helpers=(Role.STAF,),
        peserta="SKPD menerima undangan",
        kelengkapan="DPA dan Kepgub tentang workshop Penetapan IKU",
        waktu=Waktu(2, WaktuUnit.HARI),
        output="Undangan",
        output_source=OutputSource.DOKUMEN,
        requires=(DocKind.DPA, DocKind.KEPGUB_WORKSHOP),
        produces=(DocKind.UNDANGAN,),
        signs=(DocKind.UNDANGAN,),
        # The Kasubag signs the invitation with her password by sending it: she reads it where she
        # signs, as the chair reads the minutes at step 2.
        reviews=(DocKind.UNDANGAN,),
        action_label="Kirim undangan dan selesaikan langkah 1",
    ),
    Step(
        number=2,
        kegiatan="Melaksanakan rapat persiapan pelaksanaan workshop dengan Tim penyelenggara",
        ringkas="Rapat persiapan dengan Tim",
        pelaksana="Kasubag memimpin, Staf mencatat notulen",
        actors=(Role.KASUBAG,),
        helpers=(Role.STAF,),
        peserta="Tim penyelenggara",
        kelengkapan="Undangan",
        waktu=Waktu(1, WaktuUnit.HARI),
        output="Notulen rapat",
        output_source=OutputSource.DOKUMEN,
        produces=(DocKind.NOTULEN_PERSIAPAN,),
        signs=(DocKind.NOTULEN_PERSIAPAN,),
        # The chair signs the minutes, then whoever took them signs beside.
        signatories=((DocKind.NOTULEN_PERSIAPAN, (Signatory.PIMPINAN, Signatory.PENCATAT)),),
        # The chair signs the minutes with her password by finishing: she reads them where she signs,
        # as the Kabiro reads his letter at step 4.
        reviews=(DocKind.NOTULEN_PERSIAPAN,),
        action_label="Selesaikan rapat persiapan",
    ),
    Step(
        number=3,
        kegiatan="Pelaksanaan workshop penetapan indikator kinerja",
        ringkas="Workshop penetapan IKU",
        pelaksana="Kasubag dan Tim menyelenggarakan",
        actors=(Role.KASUBAG,),
        helpers=(Role.STAF, Role.TIM),
        peserta="SKPD menyampaikan Konsep IKU",
        kelengkapan="Notulen rapat",
        waktu=Waktu(2, WaktuUnit.HARI),
        output="Konsep IKU dari masing-masing SKPD",
        output_source=OutputSource.IKU,
        iku_stage=IkuStage.KONSEP,
        action_label="Tutup workshop dan terima Konsep IKU",
    ),
    Step(
        number=4,
        kegiatan=(
            "Menyurati SKPD untuk menyusun IKU di masing-masing kemudian mengkoordinasikan dengan "
            "Biro Kesejahteraan Rakyat"
        ),
        ringkas="Surat ke SKPD untuk menyusun IKU",
        pelaksana="Kasubag menyiapkan, Kabiro menandatangani",
        actors=(Role.KABIRO,),
        helpers=(Role.KASUBAG, Role.STAF),
        peserta="SKPD menerima surat",
        kelengkapan="Konsep IKU dari masing-masing SKPD",
        waktu=Waktu(2, WaktuUnit.HARI),
        output="Surat ke SKPD",
        output_source=OutputSource.DOKUMEN,
        produces=(DocKind.SURAT_SKPD,),
        signs=(DocKind.SURAT_SKPD,),
        reviews=(DocKind.SURAT_SKPD,),
        action_label="Tandatangani dan kirim surat ke SKPD",
    ),
    Step(
        number=5,
        kegiatan="Melaksanakan rapat pembahasan tentang IKU yang sudah disusun oleh SKPD",
        ringkas="Rapat pembahasan IKU SKPD",
        pelaksana="Kabiro memimpin, Kasubag/Staf mencatat notulen",
        actors=(Role.KASUBAG,),
        helpers=(Role.STAF,),
        peserta="Tim; SKPD menyampaikan bahan penyusunan IKU",
        kelengkapan="Bahan penyusunan IKU dari SKPD",
        waktu=Waktu(1, WaktuUnit.HARI),
        output="Bahan penyusunan IKU dari SKPD",
        output_source=OutputSource.IKU,
        iku_stage=IkuStage.BAHAN,
        consolidates_iku=IkuStage.BAHAN,
        min_meetings=1,
        keterangan="Rapat/koordinasi dapat dilaksanakan sesuai kebutuhan",
        action_label="Tutup pembahasan dan himpun bahan IKU",
    ),
    Step(
        number=6,
        kegiatan=(
            "Membuat Nota tentang hasil penetapan IKU dan konsep IKU Provinsi kemudian menyerahkan "
            "ke Kabag untuk diparaf"
        ),
        ringkas="Nota dan draft IKU Provinsi",
        pelaksana="Kasubag (Staf dapat menyiapkan) membuat Nota dan draft, lalu memaraf",
        actors=(Role.KASUBAG,),
        helpers=(Role.STAF,),
        peserta="Diserahkan ke Kabag",
        kelengkapan="Bahan penyusunan IKU dari SKPD",
        waktu=Waktu(1, WaktuUnit.JAM),
        output="Draft Penetapan IKU Provinsi dan Nota yang sudah diparaf",
        output_source=OutputSource.DOKUMEN,
        produces=(DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB),
        reopens_iku=IkuStage.BAHAN,
        consolidates_iku=IkuStage.BAHAN,
        # The Kasubag's paraf: she sees what she initials, as the Kabag and the Kabiro do after her.
        reviews=(DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB),
        action_label="Paraf dan serahkan ke Kabag",
    ),
    Step(
        number=7,
        kegiatan=(
            "Meneliti dan memaraf konsep Penetapan IKU, jika setuju meneruskan ke Kabiro, jika tidak "
            "dikembalikan ke Kasubag untuk diperbaiki"
        ),
        ringkas="Kabag meneliti dan memaraf",
        pelaksana="Kabag memaraf dan meneruskan, atau mengembalikan dengan catatan",
        actors=(Role.KABAG,),
        helpers=(),
        peserta="Kasubag bila dikembalikan",
        kelengkapan="Draft Penetapan IKU Provinsi dan Nota yang sudah diparaf",
        waktu=Waktu(2, WaktuUnit.JAM),
        output="Draft Penetapan IKU Provinsi dan Nota yang sudah diparaf Kabag",
        output_source=OutputSource.TINDAKAN,
        reviews=(DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB),
        independent_of=6,
        returns_to=6,
        action_label="Paraf dan teruskan ke Kabiro",
    ),
    Step(
        number=8,
        kegiatan=(
            "Memeriksa dan meneliti konsep IKU dan melaksanakan pembahasan dengan tim terkait, "
            "memarafnya dan menandatangani Nota"
        ),
        ringkas="Kabiro memeriksa dan menandatangani Nota",
        pelaksana="Kabiro memeriksa, membahas dengan Tim, memaraf dan menandatangani Nota",
        actors=(Role.KABIRO,),
        helpers=(),
        peserta="Tim terkait",
        kelengkapan="Draft Penetapan IKU Provinsi dan Nota yang sudah diparaf",
        waktu=Waktu(30, WaktuUnit.MENIT),
        output="Draft Penetapan IKU Provinsi dan Nota yang sudah ditandatangani Kabiro",
        output_source=OutputSource.TINDAKAN,
        action_label="Paraf draft dan tandatangani Nota",
        signs=(DocKind.NOTA_DINAS,),
        reviews=(DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB),
        independent_of=6,
    ),
    Step(
        number=9,
        kegiatan="Meneruskannya ke Asisten I untuk ditandatangani Gubernur",
        ringkas="Diteruskan ke Asisten I",
        pelaksana="Staf/Kasubag mencatat penerusan ke Asisten I",
        actors=(Role.KASUBAG, Role.STAF),
        helpers=(),
        peserta="Asisten I, Gubernur (di luar aplikasi)",
        kelengkapan="Draft Penetapan IKU Provinsi dan Nota yang sudah ditandatangani Kabiro",
        waktu=Waktu(15, WaktuUnit.MENIT),
        output="Draft Penetapan IKU Provinsi dan Nota yang sudah ditandatangani Kabiro, diteruskan",
        output_source=OutputSource.TINDAKAN,
        action_label="Catat penerusan ke Asisten I",
    ),
)

STEP_BY_NUMBER = {s.number: s for s in STEPS}
# The steps whose preparers a later step must be independent of.
PREPARING_STEPS = frozenset(s.independent_of for s in STEPS if s.independent_of)
STEP_BY_STATE = {s.state: s for s in STEPS}

# After step 9 the draft sits with Asisten I and the Governor, outside the SOP's timed steps, until
# the decree's number and date are recorded.
DI_GUBERNUR = "di_gubernur"
SELESAI = "selesai"
DIBATALKAN = "dibatalkan"
FIRST_STATE = STEPS[0].state
STEP_STATES = tuple(s.state for s in STEPS)
ACTIVE_STATES = STEP_STATES + (DI_GUBERNUR,)
FINAL_STATES = (SELESAI, DIBATALKAN)

STATE_CHOICES = [(s.state, f"Langkah {s.number}: {s.ringkas}") for s in STEPS] + [
    (DI_GUBERNUR, "Menunggu tanda tangan Gubernur"),
    (SELESAI, "Selesai (IKU ditetapkan)"),
    (DIBATALKAN, "Dibatalkan"),
]
STATE_LABELS = dict(STATE_CHOICES)


def now_at(state: str) -> str:
    """Where a dossier stands, to follow "Dosier kini": "di Langkah 8: ..." at a step, else the
    position's own words ("menunggu tanda tangan Gubernur"; "di Menunggu ..." read as a slip)."""
    label = STATE_LABELS[state]
    return f"di {label}" if state in STEP_STATES else label[:1].lower() + label[1:]


def next_state(state: str) -> str:
    step = STEP_BY_STATE[state]
    following = STEP_BY_NUMBER.get(step.number + 1)
    return following.state if following else DI_GUBERNUR


def step_for(state: str) -> Step | None:
    return STEP_BY_STATE.get(state)


def signatories_of(kind: str) -> tuple[str, ...]:
    """The order in which the people a document names sign it; () for one signed by whoever
    finishes its step alone."""
    return _SIGNATORIES.get(kind, ())


# Asked for each document of a page: the steps' answer, read once.
_SIGNATORIES = {signed: order for step in reversed(STEPS) for signed, order in step.signatories}
