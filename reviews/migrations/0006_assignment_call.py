"""Assignments carry their application's call (a copy: an application never
changes call), so lists and counts by call skip the wide applications table."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_calls(apps, schema_editor):
    Assignment = apps.get_model("reviews", "Assignment")
    Application = apps.get_model("projects", "Application")
    Assignment.objects.update(
        call_id=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).values(
                "call_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_merge_0005_application_title_ru_0005_duplicate_flags"),
        ("reviews", "0005_merge_20261130_1205"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="call",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.call",
                verbose_name="call",
            ),
        ),
        migrations.RunPython(copy_calls, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="assignment",
            name="call",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.call",
                verbose_name="call",
            ),
        ),
        migrations.RemoveIndex(
            model_name="assignment", name="reviews_ass_expert__7c9f62_idx"
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["expert", "due", "id"],
                include=["call", "status"],
                name="assignment_expert_due_incl",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["call", "status"], name="reviews_ass_call_id_520542_idx"
            ),
        ),
    ]
