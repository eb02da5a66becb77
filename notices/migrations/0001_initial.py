# Notices of hand-offs and what each person wants to be told.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('workflow', '0008_notices_and_disposisi'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NoticePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('by_email', models.BooleanField(default=True, verbose_name='kirim lewat surel')),
                ('in_app', models.BooleanField(default=True, verbose_name='tampilkan di daftar pemberitahuan')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notice_preference', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'pilihan pemberitahuan',
                'verbose_name_plural': 'pilihan pemberitahuan',
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('judul', models.CharField(max_length=300)),
                ('isi', models.TextField(max_length=2000)),
                ('created_at', models.DateTimeField(verbose_name='dibuat')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='dibaca')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim lewat surel')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='workflow.dossier')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='workflow.auditevent')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'pemberitahuan',
                'verbose_name_plural': 'pemberitahuan',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notices_not_recipie_d8909a_idx')],
                'constraints': [models.UniqueConstraint(fields=('recipient', 'event'), name='satu_pemberitahuan_per_serah')],
            },
        ),
    ]
