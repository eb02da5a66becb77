from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0037_decree_in_force_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="sentform",
            name="request_digest",
            field=models.CharField(blank=True, db_default="", default="", max_length=64, verbose_name="sidik permintaan"),
        ),
    ]
