"""The record of each import run: who started it, what it did, and whether its process is still alive."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.core.processes import process_alive

# A running import beats after each batch and every few hundred files (seconds apart); a run
# whose last beat is older than this is taken for dead when its process cannot be checked.
IMPORT_HEARTBEAT_TIMEOUT = timedelta(minutes=5)


class ImportRun(models.Model):
    """One run of the importer, from the command line or the admin."""

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Admin upload")
        SYNC = "sync", _("Source sync")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("stopped")
        INTERRUPTED = "interrupted", _("interrupted")

    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMMAND)
    paths = models.TextField(_("paths"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    overwrite = models.BooleanField(_("overwrite"), default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    # Set by the process running the import: None until it starts (a queued upload).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    files_total = models.PositiveIntegerField(_("files found"), null=True, blank=True)
    files_done = models.PositiveIntegerField(_("files done"), default=0)
    failure = models.TextField(_("stopped by"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"Import {self.started_at:%Y-%m-%d %H:%M} ({self.get_source_display()})"

    @property
    def state(self):
        """Queued, running, finished, failed, or interrupted (its process died before the end)."""
        if self.finished_at is not None:
            return self.State.FAILED if self.failure else self.State.FINISHED
        if self.heartbeat_at is None:
            return self.State.QUEUED
        if not process_alive(self.host, self.pid) or timezone.now() - self.heartbeat_at > IMPORT_HEARTBEAT_TIMEOUT:
            return self.State.INTERRUPTED
        return self.State.RUNNING
