"""Seed the default office hours of Pergub Kalbar 1/2013; an admin edits them afterwards.

The hours are written here rather than imported, so this migration means the same thing whatever
the code later says.
"""

import datetime as dt

from django.db import migrations

T = dt.time.fromisoformat
MON_THU = ("07:30", "16:00", "12:00", "13:00")
FRIDAY = ("07:30", "16:30", "11:30", "13:00")


def seed(apps, schema_editor):
    Jadwal = apps.get_model("workflow", "Jadwal")
    JamKerja = apps.get_model("workflow", "JamKerja")
    if Jadwal.objects.filter(bawaan=True).exists():
        return
    jadwal = Jadwal.objects.create(
        nama="Jam kerja Pergub Kalbar 1/2013", bawaan=True,
        dasar="Peraturan Gubernur Kalimantan Barat Nomor 1 Tahun 2013",
    )
    for hari, hours in [(0, MON_THU), (1, MON_THU), (2, MON_THU), (3, MON_THU), (4, FRIDAY)]:
        masuk, pulang, ist_mulai, ist_selesai = (T(x) for x in hours)
        JamKerja.objects.create(
            jadwal=jadwal, hari=hari, masuk=masuk, pulang=pulang,
            istirahat_mulai=ist_mulai, istirahat_selesai=ist_selesai,
        )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_worktime_calendar_reminders")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
