"""Count every article again: the timelines' and the dashboard's kept counts."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from articles.counts import keeping, records


class Command(BaseCommand):
    help = (
        "Count every article again per month, tag, category, author and status, and the archived images, "
        "source checks and media bytes (after bulk_create(), raw SQL, a restored backup or a change of TIME_ZONE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database to count (default: default).")

    def handle(self, *args, database, verbosity, **options):
        rows = keeping.rebuild(database)
        records.rebuild(database)
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(f"Counted every article again ({rows} counts)."))
