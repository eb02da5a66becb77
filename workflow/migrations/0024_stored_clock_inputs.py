"""What a page's clocks and tallies read without searching the stays: each stay's number at its
position, each dossier's link to its open stay, and an index the dashboard's tallies over the
running dossiers read alone (index-only on PostgreSQL)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def number_stays_and_link_open_ones(apps, schema_editor):
    StepVisit = apps.get_model("workflow", "StepVisit")
    Dossier = apps.get_model("workflow", "Dossier")
    # A stay's number is how many stays of its dossier at its position began up to it (by id, the
    # order they were written in), as the clocks counted it on every page until now.
    earlier = (StepVisit.objects.filter(dossier=OuterRef("dossier"), state=OuterRef("state"), pk__lte=OuterRef("pk"))
               .order_by().values("dossier").annotate(n=Count("pk")).values("n"))
    StepVisit.objects.update(attempt=Subquery(earlier))
    open_stay = StepVisit.objects.filter(dossier=OuterRef("pk"), left_at__isnull=True).order_by("-pk")
    Dossier.objects.update(open_stay=Subquery(open_stay.values("pk")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0023_no_data_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="open_stay",
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="workflow.stepvisit", verbose_name="kunjungan berjalan"),
        ),
        migrations.AddField(
            model_name="stepvisit",
            name="attempt",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="kunjungan ke-"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(condition=models.Q(("state__in", ["selesai", "dibatalkan"]), _negated=True),
                               fields=["state", "due_at", "near_at"], name="dosier_berjalan_posisi"),
        ),
        migrations.RunPython(number_stays_and_link_open_ones, migrations.RunPython.noop),
    ]
