"""Rows that fit real published tables: bounded texts, optional columns, a target read as a number."""

import django.core.validators
from django.db import migrations, models

from iku.rows import parse_target


def read_targets(apps, schema_editor):
    # Rows sent before targets were read as numbers get theirs, as a new row would on save.
    IkuRow = apps.get_model("iku", "IkuRow")
    for row in IkuRow.objects.only("pk", "target").iterator():
        nilai, periode = parse_target(row.target)
        if nilai is not None or periode:
            IkuRow.objects.filter(pk=row.pk).update(target_nilai=nilai, target_periode=periode)


class Migration(migrations.Migration):

    dependencies = [
        ('iku', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='ikurow',
            name='target_nilai',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=19, null=True, verbose_name='nilai target'),
        ),
        migrations.AddField(
            model_name='ikurow',
            name='target_periode',
            field=models.CharField(blank=True, max_length=100, verbose_name='periode target'),
        ),
        migrations.AddField(
            model_name='ikusubmission',
            name='draft',
            field=models.JSONField(blank=True, default=list, verbose_name='draf'),
        ),
        migrations.AddField(
            model_name='ikusubmission',
            name='draft_saved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='draf disimpan'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='formula',
            field=models.TextField(blank=True, max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='formula/cara pengukuran'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='indikator',
            field=models.TextField(max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='indikator kinerja utama'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='penanggung_jawab',
            field=models.CharField(blank=True, max_length=200, verbose_name='penanggung jawab'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='penjelasan',
            field=models.TextField(blank=True, max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='penjelasan/alasan'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='sasaran_strategis',
            field=models.TextField(blank=True, max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='sasaran strategis'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='satuan',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='sumber_data',
            field=models.CharField(blank=True, max_length=200, verbose_name='sumber data'),
        ),
        migrations.AlterField(
            model_name='ikurow',
            name='target',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='ikusubmission',
            name='catatan',
            field=models.TextField(blank=True, max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)]),
        ),
        migrations.RunPython(read_targets, migrations.RunPython.noop),
    ]
