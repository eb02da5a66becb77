"""`import_iku` run with wrong arguments says so in Indonesian, with the usage, and exits 2 (issue
29, item 11e); a clerk runs it, not only a developer."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iku.management.commands.import_iku import Command, argument_message

ENGLISH = ("usage:", "error:", "required", "invalid", "argument ", "expected", "unrecognized", "choose from")


@pytest.mark.parametrize("argv, said", [
    ([], "argumen wajib belum diisi: ID_DOSIER, SKPD, BERKAS"),
    (["satu", "Dinkes", "iku.xlsx"], "argumen ID_DOSIER: 'satu' bukan bilangan bulat"),
    (["1", "Dinkes", "iku.xlsx", "--stage", "final"],
     "argumen --stage: pilihan 'final' tidak dikenal; pilih salah satu: 'konsep', 'bahan'"),
    (["1", "Dinkes", "iku.xlsx", "--as"], "argumen --as: perlu satu nilai"),
    (["1", "Dinkes", "iku.xlsx", "--kirim"], "argumen tidak dikenal: --kirim"),
    (["1", "Dinkes", "iku.xlsx", "extra"], "argumen tidak dikenal: extra"),
])
def test_bad_arguments_on_the_command_line_are_told_in_indonesian_with_exit_2(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(["manage.py", "import_iku", *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Penggunaan: manage.py import_iku")
    last = err.strip().splitlines()[-1]
    # Quotes aside: Python 3.12.8 and later list the choices without them.
    assert last.replace("'", "") == f"manage.py import_iku: kesalahan: {said}".replace("'", "")
    assert not any(word in last for word in ENGLISH), last


def test_bad_arguments_through_call_command_raise_an_indonesian_command_error_with_status_2():
    with pytest.raises(CommandError) as refused:
        call_command("import_iku", "satu", "Dinkes", "iku.xlsx")
    assert refused.value.returncode == 2
    assert str(refused.value) == "Kesalahan: argumen ID_DOSIER: 'satu' bukan bilangan bulat"


def test_the_help_is_in_indonesian(capsys):
    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "import_iku", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("Penggunaan: manage.py import_iku")
    assert "\nargumen:\n" in out and "\nopsi:\n" in out and "tampilkan bantuan ini lalu keluar" in out
    assert "show this help" not in out and "positional arguments" not in out


@pytest.mark.parametrize("english, indonesian", [
    ("ambiguous option: --s could match --stage, --settings", "opsi --s bermakna ganda; bisa --stage, --settings"),
    ("argument --stage: expected at most one argument", "argumen --stage: paling banyak satu nilai"),
    ("argument -v/--verbosity: invalid choice: '9' (choose from 0, 1, 2, 3)",
     "argumen -v/--verbosity: pilihan '9' tidak dikenal; pilih salah satu: 0, 1, 2, 3"),
    ("argument --x: invalid Path value: 'a'", "argumen --x: 'a' bukan nilai Path yang sah"),
])
def test_other_argparse_sentences(english, indonesian):
    assert argument_message(english) == indonesian
