"""Sources: git repositories the archive follows commit by commit, what each of their files became,
and the articles their sources removed."""

import shutil
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.core.locations import clean_branch, clean_folders, clean_location

from .imports import ImportRun


def clone_dir(source):
    """The source's bare clone: by id, so renaming the source keeps it."""
    return settings.SOURCES_DIR / f"source-{source.pk}.git"


class Source(models.Model):
    """A git repository whose posts the archive imports, and how far it has been synced."""

    name = models.SlugField(_("name"), max_length=50, unique=True, help_text=_("In the push hook's address."))
    location = models.CharField(
        _("location"),
        max_length=1000,
        help_text=_("An absolute local path, or a URL git clones (https, ssh, file)."),
    )
    branch = models.CharField(_("branch"), max_length=255, blank=True, help_text=_("Empty: the default branch."))
    folders = models.JSONField(_("folders"), default=list, blank=True)
    every_minutes = models.PositiveIntegerField(
        _("sync every (minutes)"), null=True, blank=True, help_text=_("Empty: only when asked or pushed.")
    )
    secret = models.CharField(_("push hook secret"), max_length=200, blank=True)
    hide_removed = models.BooleanField(
        _("hide removed articles"),
        default=False,
        help_text=_("Articles whose file the source deletes are hidden, instead of kept with a note."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    # What the last syncs did. last_commit moves only when a sync completes.
    last_commit = models.CharField(_("last synced commit"), max_length=64, blank=True)
    last_commit_message = models.CharField(_("commit message"), max_length=500, blank=True)
    last_commit_at = models.DateTimeField(_("commit time"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    # Set while a sync waits for the worker (a push or "Sync now"): more pushes queue nothing more.
    queued_at = models.DateTimeField(_("sync queued"), null=True, blank=True)
    # The lock: who is syncing (host, process, token) and when it last showed life.
    sync_owner = models.CharField(max_length=300, blank=True, editable=False)
    sync_beat = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def clean(self):
        """The location, branch and folders as git will be given them, or the reason per field."""
        errors = {}
        for name, clean in (("location", clean_location), ("branch", clean_branch), ("folders", clean_folders)):
            try:
                setattr(self, name, clean(getattr(self, name)))
            except ValidationError as exc:
                errors[name] = exc.messages
        if self.every_minutes == 0:
            errors["every_minutes"] = [_("Give at least one minute, or leave it empty for no schedule.")]
        if errors:
            raise ValidationError(errors)

    @property
    def next_due_at(self):
        """When the schedule next syncs the source (None without one); at once if never tried."""
        if not self.every_minutes:
            return None
        if self.last_attempt_at is None:
            return self.created_at or timezone.now()
        return self.last_attempt_at + timedelta(minutes=self.every_minutes)

    def is_due(self, now=None):
        due = self.next_due_at
        return due is not None and due <= (now or timezone.now())


@receiver(post_delete, sender=Source)
def remove_clone(sender, instance, **kwargs):
    """A deleted source's clone goes with it (its articles stay: an archive outlives its sources)."""
    folder = clone_dir(instance)
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


class SyncedFile(models.Model):
    """A post file of a source: its path and blob at the last sync, and the article it gave."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(_("path"), max_length=1000)
    blob = models.CharField(_("git object"), max_length=64)
    link = models.BooleanField(_("symbolic link"), default=False)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="synced_files"
    )
    failed = models.BooleanField(_("failed"), default=False)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)  # the deleting commit's time
    removed_commit = models.CharField(_("removed in commit"), max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "path"], name="unique_source_path")]
        verbose_name = _("synced file")
        verbose_name_plural = _("synced files")

    def __str__(self):
        return f"{self.source_id}:{self.path}"


class SourceRemoval(models.Model):
    """An article whose every source file was deleted: kept (or hidden, as its source says) with a note."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="source_removal"
    )
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="removals")
    source_name = models.CharField(_("source"), max_length=50)
    path = models.CharField(_("path"), max_length=1000)
    commit = models.CharField(_("commit"), max_length=64)
    removed_at = models.DateTimeField(_("removed"))
    # The status the article had when the removal hid it (a file that comes back restores it).
    hid_status = models.CharField(max_length=10, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("removal from a source")
        verbose_name_plural = _("removals from sources")

    def __str__(self):
        return f"{self.article_id} removed from {self.source_name}"


class SourceSync(models.Model):
    """The import run of one sync: its source, the commit range and what the sync itself did."""

    run = models.OneToOneField(ImportRun, on_delete=models.CASCADE, primary_key=True, related_name="source_sync")
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, related_name="syncs")
    from_commit = models.CharField(_("from commit"), max_length=64, blank=True)
    to_commit = models.CharField(_("to commit"), max_length=64)
    full = models.BooleanField(_("full comparison"), default=False)
    renamed = models.PositiveIntegerField(_("renamed"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    restored = models.PositiveIntegerField(_("back in the source"), default=0)

    class Meta:
        verbose_name = _("source sync")
        verbose_name_plural = _("source syncs")

    def __str__(self):
        return f"{self.source_id}: {self.from_commit[:7]}..{self.to_commit[:7]}"
