"""The naskah app takes over tables that the `workflow` app created: only Django's picture of the
models moves (state_operations); the tables, their names and their rows stay as they are. Content
types follow, so admin permissions granted on the old models still hold."""

import django.db.models.deletion
from django.db import migrations, models

# (old model name in workflow, new model name here)
MOVED = [('profilkantor', 'officeprofile'), ('penomoran', 'numberingrule'), ('nomorurut', 'serialcounter'), ('naskahdibuat', 'naskahrecord')]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED:
        ContentType.objects.filter(app_label="naskah", model=new).delete()
        ContentType.objects.filter(app_label="workflow", model=old).update(app_label="naskah", model=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('workflow', '0005_naskah_dinas'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NumberingRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('dpa', 'DPA SKPD'), ('kepgub_workshop', 'Kepgub tentang workshop penetapan IKU'), ('undangan', 'Undangan workshop'), ('notulen_persiapan', 'Notulen rapat persiapan'), ('surat_skpd', 'Surat ke SKPD'), ('notulen_pembahasan', 'Notulen rapat pembahasan IKU'), ('nota_dinas', 'Nota Dinas'), ('draft_kepgub', 'Draft Penetapan IKU Provinsi'), ('lainnya', 'Dokumen pendukung lainnya')], max_length=30, unique=True, verbose_name='jenis dokumen')),
                        ('kode_klasifikasi', models.CharField(help_text='Permendagri 83/2022: 000.1.5 rapat/undangan, 000.7 perencanaan, 400 kesejahteraan rakyat.', max_length=30, verbose_name='kode klasifikasi')),
                        ('kode_unit', models.CharField(default='Kesra', max_length=30, verbose_name='kode unit')),
                        ('pola', models.CharField(default='{kode}/{nomor}/{unit}/{tahun}', help_text='Boleh memakai {kode}, {nomor}, {unit} dan {tahun}.', max_length=100)),
                    ],
                    options={
                        'verbose_name': 'penomoran naskah',
                        'verbose_name_plural': 'penomoran naskah',
                        'db_table': 'workflow_penomoran',
                        'ordering': ['kind'],
                    },
                ),
                migrations.CreateModel(
                    name='OfficeProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('instansi', models.CharField(default='PEMERINTAH PROVINSI KALIMANTAN BARAT', help_text='Baris pertama kop, huruf kapital, tidak disingkat.', max_length=150)),
                        ('sekretariat', models.CharField(default='SEKRETARIAT DAERAH', help_text='Baris kedua kop.', max_length=150)),
                        ('unit', models.CharField(default='BIRO KESEJAHTERAAN RAKYAT', help_text='Baris ketiga kop.', max_length=150)),
                        ('alamat', models.CharField(default='Jalan Ahmad Yani, Pontianak', help_text='Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak.', max_length=200)),
                        ('kode_pos', models.CharField(default='78124', help_text='Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak.', max_length=10, verbose_name='kode pos')),
                        ('telepon', models.CharField(default='(0561) 736541', help_text='Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak.', max_length=100)),
                        ('laman', models.CharField(default='kalbarprov.go.id', help_text='Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak.', max_length=100, verbose_name='laman (website)')),
                        ('surel', models.CharField(default='birokesra@kalbarprov.go.id', help_text='Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak.', max_length=100, verbose_name='surel (e-mail)')),
                        ('kota', models.CharField(default='Pontianak', help_text='Ditulis sebelum tanggal surat: “Pontianak, 5 Januari 2021”.', max_length=60, verbose_name='tempat penandatanganan')),
                        ('nama_gubernur', models.CharField(blank=True, help_text='Dicetak di bawah “GUBERNUR KALIMANTAN BARAT,” pada draft keputusan; kosong: titik-titik.', max_length=150, verbose_name='nama Gubernur')),
                    ],
                    options={
                        'verbose_name': 'profil kantor (kop surat)',
                        'verbose_name_plural': 'profil kantor (kop surat)',
                        'db_table': 'workflow_profilkantor',
                    },
                ),
                migrations.CreateModel(
                    name='NaskahRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nomor', models.CharField(blank=True, max_length=100)),
                        ('isian', models.JSONField(default=dict, verbose_name='isian formulir')),
                        ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='naskah', to='workflow.document')),
                    ],
                    options={
                        'verbose_name': 'naskah yang dibuat aplikasi',
                        'verbose_name_plural': 'naskah yang dibuat aplikasi',
                        'db_table': 'workflow_naskahdibuat',
                    },
                ),
                migrations.CreateModel(
                    name='SerialCounter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('dpa', 'DPA SKPD'), ('kepgub_workshop', 'Kepgub tentang workshop penetapan IKU'), ('undangan', 'Undangan workshop'), ('notulen_persiapan', 'Notulen rapat persiapan'), ('surat_skpd', 'Surat ke SKPD'), ('notulen_pembahasan', 'Notulen rapat pembahasan IKU'), ('nota_dinas', 'Nota Dinas'), ('draft_kepgub', 'Draft Penetapan IKU Provinsi'), ('lainnya', 'Dokumen pendukung lainnya')], max_length=30, verbose_name='jenis dokumen')),
                        ('tahun', models.PositiveSmallIntegerField()),
                        ('terakhir', models.PositiveIntegerField(default=0, verbose_name='nomor terakhir')),
                    ],
                    options={
                        'verbose_name': 'nomor urut naskah',
                        'verbose_name_plural': 'nomor urut naskah',
                        'db_table': 'workflow_nomorurut',
                        'ordering': ['-tahun', 'kind'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'tahun'), name='satu_nomor_urut_per_jenis_tahun')],
                    },
                ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
