"""Runs left unfinished before runs had a heartbeat were killed (nothing was queued then): give them
their start as last sign of life, so they show as interrupted, not as queued forever."""

from django.db import migrations
from django.db.models import F


def date_unfinished_runs(apps, schema_editor):
    ImportRun = apps.get_model("articles", "ImportRun")
    ImportRun.objects.filter(finished_at=None, heartbeat_at=None).update(heartbeat_at=F("started_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_import_run_progress"),
    ]

    operations = [
        migrations.RunPython(date_unfinished_runs, migrations.RunPython.noop),
    ]
