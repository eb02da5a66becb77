from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('naskah', '0018_kop_confirmed'),
    ]

    operations = [
        migrations.AddField(
            model_name='renderjob',
            name='aktif_terakhir',
            field=models.DateTimeField(blank=True, null=True, verbose_name='terakhir tampak dikerjakan'),
        ),
    ]
