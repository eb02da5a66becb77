"""The worktime app takes over tables that the `workflow` app created: only Django's picture of the
models moves (state_operations); the tables, their names and their rows stay as they are. Content
types follow, so admin permissions granted on the old models still hold."""

import django.db.models.deletion
from django.db import migrations, models

# (old model name in workflow, new model name here)
MOVED = [('harikhusus', 'specialday'), ('jadwal', 'schedule'), ('jamkerja', 'workinghours')]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED:
        ContentType.objects.filter(app_label="worktime", model=new).delete()
        ContentType.objects.filter(app_label="workflow", model=old).update(app_label="worktime", model=new)


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
                    name='SpecialDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(db_column='tanggal', unique=True, verbose_name='tanggal')),
                        ('kind', models.CharField(choices=[('libur', 'Libur tambahan'), ('masuk', 'Tetap masuk kerja (libur/cuti bersama dari paket dibatalkan)')], db_column='jenis', max_length=10, verbose_name='jenis')),
                        ('note', models.CharField(db_column='keterangan', help_text='Misalnya nomor SKB/Keppres yang menetapkannya.', max_length=255, verbose_name='keterangan')),
                    ],
                    options={
                        'verbose_name': 'hari libur/masuk khusus',
                        'verbose_name_plural': 'hari libur/masuk khusus',
                        'db_table': 'workflow_harikhusus',
                        'ordering': ['-date'],
                    },
                ),
                migrations.CreateModel(
                    name='Schedule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(db_column='nama', max_length=150, verbose_name='nama')),
                        ('is_default', models.BooleanField(db_column='bawaan', default=False, help_text='Berlaku setiap hari yang tidak diliputi jadwal bertanggal. Hanya satu jadwal bawaan.', verbose_name='jadwal bawaan')),
                        ('starts_on', models.DateField(blank=True, db_column='mulai', help_text='Kosongkan untuk jadwal bawaan.', null=True, verbose_name='berlaku mulai')),
                        ('ends_on', models.DateField(blank=True, db_column='sampai', null=True, verbose_name='berlaku sampai dengan')),
                        ('basis', models.CharField(blank=True, db_column='dasar', max_length=255, verbose_name='dasar (peraturan/surat edaran)')),
                    ],
                    options={
                        'verbose_name': 'jadwal jam kerja',
                        'verbose_name_plural': 'jadwal jam kerja',
                        'db_table': 'workflow_jadwal',
                        'ordering': ['-is_default', '-starts_on'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='satu_jadwal_bawaan'), models.CheckConstraint(condition=models.Q(models.Q(('ends_on__isnull', True), ('is_default', True), ('starts_on__isnull', True)), models.Q(('ends_on__isnull', False), ('is_default', False), ('starts_on__isnull', False), ('starts_on__lte', models.F('ends_on'))), _connector='OR'), name='jadwal_bertanggal_atau_bawaan')],
                    },
                ),
                migrations.CreateModel(
                    name='WorkingHours',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Senin'), (1, 'Selasa'), (2, 'Rabu'), (3, 'Kamis'), (4, 'Jumat'), (5, 'Sabtu'), (6, 'Minggu')], db_column='hari', verbose_name='hari')),
                        ('opens', models.TimeField(db_column='masuk', verbose_name='jam masuk')),
                        ('closes', models.TimeField(db_column='pulang', verbose_name='jam pulang')),
                        ('break_starts', models.TimeField(blank=True, db_column='istirahat_mulai', null=True, verbose_name='istirahat mulai')),
                        ('break_ends', models.TimeField(blank=True, db_column='istirahat_selesai', null=True, verbose_name='istirahat selesai')),
                        ('schedule', models.ForeignKey(db_column='jadwal_id', on_delete=django.db.models.deletion.CASCADE, related_name='days', to='worktime.schedule', verbose_name='jadwal')),
                    ],
                    options={
                        'verbose_name': 'jam kerja',
                        'verbose_name_plural': 'jam kerja per hari',
                        'db_table': 'workflow_jamkerja',
                        'ordering': ['schedule', 'weekday'],
                        'constraints': [models.UniqueConstraint(fields=('schedule', 'weekday'), name='satu_baris_per_hari'), models.CheckConstraint(condition=models.Q(('opens__lt', models.F('closes'))), name='masuk_sebelum_pulang'), models.CheckConstraint(condition=models.Q(models.Q(('break_ends__isnull', True), ('break_starts__isnull', True)), models.Q(('break_ends__lte', models.F('closes')), ('break_starts__gte', models.F('opens')), ('break_starts__lt', models.F('break_ends'))), _connector='OR'), name='istirahat_di_dalam_jam_kerja')],
                    },
                ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
