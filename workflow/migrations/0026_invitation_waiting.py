"""The invitation of an agency to a round becomes a model of its own (the table Django made for the
many-to-many stays as it is) and stores whether the round waits on the agency now, with a partial
index of the waiting ones: an agency's inbox walks that index instead of matching every invitation
it ever had against the dossiers' states and its reopened tables."""

import django.db.models.deletion
from django.db import migrations, models


def mark_waiting(apps, schema_editor):
    from workflow import policy

    policy.mark_waiting(apps.get_model("workflow", "Invitation").objects.all(), apps.get_model("iku", "IkuSubmission"))


class Migration(migrations.Migration):

    dependencies = [
        ("iku", "0004_reopened_tables_index"),
        ("workflow", "0025_agency_order_and_head_title"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Invitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("dossier", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="workflow.dossier")),
                        ("skpd", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="workflow.skpd")),
                    ],
                    options={
                        "verbose_name": "undangan SKPD",
                        "verbose_name_plural": "undangan SKPD",
                        "db_table": "workflow_dossier_invited",
                        "unique_together": {("dossier", "skpd")},
                        # Made by 0018 in SQL; named here so SQLite, which rebuilds the table to add
                        # a column, keeps it.
                        "indexes": [models.Index(fields=["skpd", "dossier"], name="dosier_diundang_skpd")],
                    },
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="invited",
                    field=models.ManyToManyField(related_name="dossiers", through="workflow.Invitation",
                                                 to="workflow.skpd", verbose_name="SKPD diundang"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="invitation",
            name="waiting",
            # A default in the database: the previous release, still serving while this one is rolled
            # out, adds invitations without naming the column.
            field=models.BooleanField(default=False, db_default=False, editable=False, verbose_name="menunggu SKPD"),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(condition=models.Q(("waiting", True)), fields=["skpd", "dossier"], name="undangan_menunggu"),
        ),
        migrations.RunPython(mark_waiting, migrations.RunPython.noop),
    ]
