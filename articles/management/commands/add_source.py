"""``manage.py add_source NAME LOCATION``: follow a git repository's posts (see ``sync_sources``)."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.core.locations import DEFAULT_FOLDERS_TEXT, redact
from articles.models import Source

STDIN = "-"  # --secret - reads the secret from standard input


class Command(BaseCommand):
    help = "Add a source: a git repository (a local path or a URL git clones) whose posts the archive follows."

    def add_arguments(self, parser):
        parser.add_argument("name", help="a short name (letters, digits, - and _): in the push hook's address")
        parser.add_argument("location", help="an absolute path, or https://, ssh://, git://, file:// or user@host:path")
        parser.add_argument("--branch", default="", help="the branch to follow (default: the repository's default)")
        parser.add_argument(
            "--path",
            action="append",
            default=[],
            dest="folders",
            metavar="FOLDER",
            help=f"a folder to import, repeatable (default: {DEFAULT_FOLDERS_TEXT}; . for the whole repository)",
        )
        parser.add_argument("--every", type=int, metavar="MINUTES", help="sync on a schedule, every MINUTES")
        parser.add_argument(
            "--secret", default="", help="the push hook's secret; - reads it from standard input (kept out of ps)"
        )
        parser.add_argument(
            "--hide-removed", action="store_true", help="hide articles whose file the source deletes (default: keep)"
        )

    def handle(self, *args, **options):
        secret = options["secret"]
        if secret == STDIN:
            secret = sys.stdin.readline().strip()
        if options["every"] is not None and options["every"] < 1:
            raise CommandError("--every must be at least 1 (minutes)")
        source = Source(
            name=options["name"],
            location=options["location"],
            branch=options["branch"],
            folders=options["folders"],
            every_minutes=options["every"],
            secret=secret,
            hide_removed=options["hide_removed"],
        )
        try:
            source.full_clean()
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
            raise CommandError("cannot add the source: " + "; ".join(lines)) from None
        source.save()
        folders = ", ".join(source.folders) or DEFAULT_FOLDERS_TEXT
        schedule = f"every {source.every_minutes} min" if source.every_minutes else "no schedule"
        self.stdout.write(
            self.style.SUCCESS(f"added source {source.name}: {redact(source.location)} ({folders}; {schedule})")
        )
        self.stdout.write(f"sync it now with: manage.py sync_sources {source.name}")
