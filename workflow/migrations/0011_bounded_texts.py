"""Every text has a maximum length: the remaining unbounded ones get theirs (forms enforce them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0010_stored_due_moment")]

    operations = [
        migrations.AlterField(
            model_name="auditevent", name="note",
            field=models.TextField(blank=True, max_length=5000, verbose_name="catatan"),
        ),
        migrations.AlterField(
            model_name="digestsent", name="recipients",
            field=models.TextField(blank=True, max_length=20000, verbose_name="penerima"),
        ),
        migrations.AlterField(
            model_name="dossier", name="alasan_batal",
            field=models.TextField(blank=True, max_length=2000, verbose_name="alasan pembatalan"),
        ),
        migrations.AlterField(
            model_name="meeting", name="ringkasan",
            field=models.TextField(max_length=4000, verbose_name="ringkasan dan keputusan"),
        ),
        migrations.AlterField(
            model_name="remindersent", name="recipients",
            field=models.TextField(blank=True, max_length=20000, verbose_name="penerima"),
        ),
    ]
