"""`manage.py working_time START END [--explain]`: the clock from a terminal."""

import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from worktime.models import SpecialDay


def run(*args) -> list[str]:
    out = StringIO()
    call_command("working_time", *args, stdout=out)
    return out.getvalue().splitlines()


def test_prints_the_minutes_as_a_plain_integer(db):
    # Tuesday 10.30 to Wednesday 09.00: 4.5 hours, then 1.5 hours.
    assert run("2026-03-10T10:30", "2026-03-11T09:00") == ["360"]


def test_a_time_with_an_offset_is_the_same_instant(db):
    assert run("2026-03-10T03:30+00:00", "2026-03-11T09:00+07:00") == ["360"]


def test_explain_lists_the_intervals_and_the_days_skipped_with_why(db):
    SpecialDay.objects.create(date=dt.date(2026, 3, 25), kind="libur", note="Pilkada")
    lines = run("2026-03-17T10:30", "2026-03-26T09:00", "--explain")
    assert lines[-1] == "360"
    text = "\n".join(lines)
    assert "Selasa, 17 Maret 2026 10.30-12.00 (1 jam 30 menit)" in text
    assert "Kamis, 26 Maret 2026 07.30-09.00 (1 jam 30 menit)" in text
    assert "Rabu, 18 Maret 2026: cuti bersama: Cuti Bersama Hari Suci Nyepi" in text
    assert "Kamis, 19 Maret 2026: libur nasional: Hari Suci Nyepi" in text
    assert "Sabtu, 21 Maret 2026: akhir pekan" in text
    assert "Rabu, 25 Maret 2026: libur tambahan dari admin: Pilkada" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (("2026-13-01", "2026-03-20"), "MULAI '2026-13-01' bukan tanggal/waktu yang sah"),
        (("2026-03-01", "kemarin"), "SELESAI 'kemarin' bukan tanggal/waktu yang sah"),
        (("2026-03-20", "2026-03-19"), "SELESAI lebih awal daripada MULAI"),
    ],
)
def test_bad_input_gets_a_clear_message_and_status_two(db, args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("working_time", *args, stdout=StringIO())
    assert raised.value.returncode == 2


def test_from_the_shell_a_bad_date_exits_two_without_a_traceback():
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "working_time", "2026-02-30", "2026-03-01"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "bukan tanggal/waktu yang sah" in done.stderr
    assert "Traceback" not in done.stderr
