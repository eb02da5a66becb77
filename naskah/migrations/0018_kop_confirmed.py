"""The kop's address lines are the seed's example values until the bureau confirms them; a row
whose values the bureau already changed counts as confirmed."""

from django.db import migrations, models

# The example values the letterhead was seeded with (naskah.models.OfficeProfile's defaults).
EXAMPLES = {
    "alamat": "Jalan Ahmad Yani, Pontianak",
    "kode_pos": "78124",
    "telepon": "(0561) 736541",
    "laman": "kalbarprov.go.id",
    "surel": "birokesra@kalbarprov.go.id",
}


def confirm_edited(apps, schema_editor):
    OfficeProfile = apps.get_model("naskah", "OfficeProfile")
    for profile in OfficeProfile.objects.all():
        if any(getattr(profile, name) != value for name, value in EXAMPLES.items()):
            OfficeProfile.objects.filter(pk=profile.pk).update(kop_diperiksa=True)


class Migration(migrations.Migration):

    dependencies = [
        ("naskah", "0017_admin_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="officeprofile",
            name="kop_diperiksa",
            field=models.BooleanField(
                db_default=False, default=False,
                help_text="Centang setelah alamat, kode pos, telepon, laman dan surel di atas dipastikan benar. Sebelum "
                          "dicentang, setiap formulir naskah mengingatkan bahwa kop masih memuat nilai contoh.",
                verbose_name="kop sudah diperiksa"),
        ),
        migrations.RunPython(confirm_edited, migrations.RunPython.noop),
    ]
