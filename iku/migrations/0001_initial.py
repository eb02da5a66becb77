"""The iku app takes over tables that the `workflow` app created: only Django's picture of the
models moves (state_operations); the tables, their names and their rows stay as they are. Content
types follow, so admin permissions granted on the old models still hold."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (old model name in workflow, new model name here)
MOVED = [('ikusubmission', 'ikusubmission'), ('ikurow', 'ikurow')]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED:
        ContentType.objects.filter(app_label="iku", model=new).delete()
        ContentType.objects.filter(app_label="workflow", model=old).update(app_label="iku", model=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('workflow', '0005_naskah_dinas'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IkuSubmission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=[('konsep', 'Konsep IKU'), ('bahan', 'Bahan penyusunan IKU')], max_length=10, verbose_name='tahap')),
                        ('catatan', models.TextField(blank=True)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim')),
                        ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='workflow.dossier')),
                        ('skpd', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='workflow.skpd')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'kiriman IKU SKPD',
                        'verbose_name_plural': 'kiriman IKU SKPD',
                        'db_table': 'workflow_ikusubmission',
                    },
                ),
                migrations.CreateModel(
                    name='IkuRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('urutan', models.PositiveSmallIntegerField(default=1)),
                        ('sasaran_strategis', models.TextField(verbose_name='sasaran strategis')),
                        ('indikator', models.TextField(verbose_name='indikator kinerja utama')),
                        ('penjelasan', models.TextField(blank=True, verbose_name='penjelasan/alasan')),
                        ('formula', models.TextField(verbose_name='formula/cara pengukuran')),
                        ('satuan', models.CharField(max_length=50)),
                        ('target', models.CharField(max_length=50)),
                        ('sumber_data', models.CharField(max_length=200, verbose_name='sumber data')),
                        ('penanggung_jawab', models.CharField(max_length=200, verbose_name='penanggung jawab')),
                        ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='iku.ikusubmission')),
                    ],
                    options={
                        'verbose_name': 'baris IKU',
                        'verbose_name_plural': 'baris IKU',
                        'db_table': 'workflow_ikurow',
                        'ordering': ['urutan', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='ikusubmission',
                    constraint=models.UniqueConstraint(fields=('dossier', 'skpd', 'stage'), name='satu_kiriman_per_tahap'),
                ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
