"""Seed the default criteria template from the source article (staff may edit it)."""

from django.db import migrations

from reviews.defaults import criterion_templates_ensure


def seed(apps, schema_editor):
    criterion_templates_ensure(apps.get_model("reviews", "CriterionTemplate"))


def unseed(apps, schema_editor):
    apps.get_model("reviews", "CriterionTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
