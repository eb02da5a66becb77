"""export_iku into a folder not made yet printed Python's traceback ending in English
"FileNotFoundError: [Errno 2] No such file or directory"; import_iku of a file not there said
"Berkas tidak dapat dibuka: No such file or directory." Both now say it in one Indonesian line."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iku.models import IkuSubmission
from workflow import services
from workflow.actions import Action
from workflow.steps import DIBATALKAN, SELESAI, STEP_BY_NUMBER


@pytest.mark.parametrize("name", ["iku.xlsx", "iku.csv"])
def test_export_iku_into_a_folder_not_made_says_so_in_one_indonesian_line(people, walk, tmp_path, name):
    dossier = walk(STEP_BY_NUMBER[4].state)
    target = tmp_path / "belum-dibuat" / name
    with pytest.raises(CommandError) as refused:
        call_command("export_iku", dossier.pk, "--stage", "konsep", "-o", str(target))
    assert refused.value.returncode == 2
    assert str(refused.value) == f"Berkas {target} tidak dapat ditulis: berkas atau foldernya tidak ada."


def test_import_iku_of_a_file_not_there_or_a_folder_says_so_in_indonesian(people, walk, tmp_path):
    dossier = walk(STEP_BY_NUMBER[3].state)
    missing = tmp_path / "dinkes.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command("import_iku", dossier.pk, "Dinas Kesehatan", str(missing))
    assert str(refused.value) == f"Berkas {missing} tidak dapat dibuka: berkas atau foldernya tidak ada."
    with pytest.raises(CommandError) as refused:
        call_command("import_iku", dossier.pk, "Dinas Kesehatan", str(tmp_path))
    assert str(refused.value) == f"Berkas {tmp_path} tidak dapat dibuka: itu sebuah folder, bukan berkas."


@pytest.mark.parametrize(("state", "said"), [(SELESAI, "selesai (IKU ditetapkan)"), (DIBATALKAN, "dibatalkan")])
def test_import_iku_into_a_closed_or_cancelled_round_is_refused_naming_its_state(people, walk, tmp_path, state, said):
    # It kept a draft in a round nobody can send from any more, and said "disimpan sebagai draf".
    from openpyxl import Workbook

    if state == SELESAI:
        dossier = walk(SELESAI)
    else:
        dossier = walk(STEP_BY_NUMBER[3].state)
        services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision,
                         alasan="Diganti putaran baru")
        dossier.refresh_from_db()
    rows = Workbook()
    rows.active.title = "IKU"
    rows.active.append(["No", "Sasaran strategis", "Indikator kinerja utama"])
    rows.active.append([1, "Meningkatnya derajat kesehatan", "Angka harapan hidup"])
    rows.save(tmp_path / "dinkes.xlsx")
    before = IkuSubmission.objects.filter(dossier=dossier).count()
    with pytest.raises(CommandError) as refused:
        call_command("import_iku", dossier.pk, "Dinas Kesehatan", str(tmp_path / "dinkes.xlsx"))
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(f"Dosier {dossier.pk} {said}: IKU-nya tidak dapat disimpan atau dikirim lagi; "
                                         "tidak ada yang disimpan.")
    assert IkuSubmission.objects.filter(dossier=dossier).count() == before
