"""The calendar, the naskah data and the agencies' IKU now belong to the worktime, naskah and iku
apps (their 0001 migrations take the tables over as they are): here they only leave Django's
picture of the workflow app. No table is dropped. And Skpd.jenis is called `kind`, the one word the
code uses for a kind of thing."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0005_naskah_dinas"),
        ("worktime", "0001_initial"),
        ("naskah", "0001_initial"),
        ("iku", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NaskahDibuat"),
                migrations.DeleteModel(name="NomorUrut"),
                migrations.DeleteModel(name="Penomoran"),
                migrations.DeleteModel(name="ProfilKantor"),
                migrations.DeleteModel(name="IkuRow"),
                migrations.DeleteModel(name="IkuSubmission"),
                migrations.DeleteModel(name="JamKerja"),
                migrations.DeleteModel(name="Jadwal"),
                migrations.DeleteModel(name="HariKhusus"),
            ],
            database_operations=[],
        ),
        migrations.RenameField(model_name="skpd", old_name="jenis", new_name="kind"),
        migrations.AlterField(
            model_name="skpd",
            name="kind",
            field=models.CharField(blank=True, max_length=60, verbose_name="jenis"),
        ),
    ]
