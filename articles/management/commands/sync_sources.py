"""``manage.py sync_sources [NAME]... [--due] [--watch]``: sync sources from their git repositories."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from articles.core.locations import redact
from articles.models import Source
from articles.sources.schedule import due_sources, next_due
from articles.sources.status import describe
from articles.sources.sync import State, sync_source

WATCH_SECONDS = 60  # --watch looks for due sources at least this often (new ones, changed schedules)


class Command(BaseCommand):
    help = "Sync sources (every one when none is named): import what changed in their git repositories."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="the sources to sync (default: all)")
        parser.add_argument("--due", action="store_true", help="only the scheduled sources whose time has come")
        parser.add_argument(
            "--watch", action="store_true", help="with --due: keep running, syncing each source when it is due"
        )
        parser.add_argument("--list", action="store_true", help="list the sources and how they stand; sync nothing")
        parser.add_argument("--workers", type=int, help="parsing processes (default: one per core)")
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument("--progress", action="store_true", default=None, help="always show a progress bar")
        progress.add_argument("--no-progress", action="store_false", dest="progress", help="never show one")

    def handle(self, *args, **options):
        if options["watch"] and not options["due"]:
            raise CommandError("--watch runs the due syncs: give --due too")
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if options["list"]:
            return self.list(self.chosen(options))
        if options["watch"]:
            return self.watch(options)
        failed = self.sync(self.chosen(options), options)
        if failed:
            raise CommandError(f"{failed} source(s) could not be synced (see above)")

    def chosen(self, options):
        names = options["names"]
        sources = list(Source.objects.filter(name__in=names)) if names else list(Source.objects.all())
        missing = sorted(set(names) - {source.name for source in sources})
        if missing:
            raise CommandError(f"no source named {', '.join(missing)} (add one with add_source)")
        if options["due"]:
            due = {source.pk for source in due_sources()}
            sources = [source for source in sources if source.pk in due]
        return sources

    def sync(self, sources, options):
        failed = 0
        for source in sources:
            result = sync_source(source, progress=options["progress"], workers=options["workers"])
            if result.state is State.FAILED:
                failed += 1
                self.stderr.write(self.style.ERROR(result.message))
            elif result.state is State.SYNCED:
                self.stdout.write(self.style.SUCCESS(result.message))
            else:
                self.stdout.write(result.message)
        return failed

    def list(self, sources):
        for source in sources:
            commit = f"{source.last_commit[:7]} {source.last_commit_message}" if source.last_commit else "never synced"
            due = source.next_due_at
            schedule = (
                f"every {source.every_minutes} min, next {timezone.localtime(due):%Y-%m-%d %H:%M}"
                if due
                else "no schedule"
            )
            self.stdout.write(
                f"{source.name}: {redact(source.location)} ({source.branch or 'default branch'}; {schedule})"
            )
            self.stdout.write(f"    last commit: {commit}")
            now = describe(source)
            if now.name == "failing":
                self.stdout.write(self.style.ERROR(f"    {now.label}: {source.last_error}"))
            else:
                self.stdout.write(f"    {now.label}")

    def watch(self, options):
        """Sync due sources until stopped, sleeping until the next is due (at most a minute)."""
        while True:
            close_old_connections()  # a long-lived process: the database may have restarted meanwhile
            try:
                self.sync(self.chosen(options), options)
            except Exception as exc:  # the database is away, say: say so and look again later
                self.stderr.write(self.style.ERROR(f"sync_sources --watch: {type(exc).__name__}: {exc}"))
            soonest = next_due()
            wait = WATCH_SECONDS if soonest is None else (soonest - timezone.now()).total_seconds()
            time.sleep(min(WATCH_SECONDS, max(1.0, wait)))
