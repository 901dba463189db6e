"""Rebuild the search index from every article, in batches, with a progress bar on a terminal."""

import sys

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from tqdm import tqdm

from articles.core.batches import BATCH_SIZE
from articles.counts.keeping import rebuild as rebuild_counts
from articles.facets.version import bump
from articles.models import Article
from articles.search.indexing import index_size
from articles.search.rebuild import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from all articles (drafts and hidden ones included), "
        "and count them again (rebuild_counts): what bulk_create() and raw SQL leave undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database to rebuild (default: default).")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Articles per batch (default: {BATCH_SIZE})."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that read and tokenize articles (default: one per core; 1: none, all in this one).",
        )

    def handle(self, *args, database, batch_size, workers, verbosity, **options):
        show_bar = verbosity > 0 and sys.stderr.isatty()
        total = Article.objects.using(database).count()
        with tqdm(total=total, unit="article", disable=not show_bar, file=sys.stderr) as bar:
            indexed = rebuild(database, batch_size, workers, progress=bar.update)
        bump(database)  # what searches match may differ now: cached facets must not outlive it
        rebuild_counts(database)
        if verbosity > 0:
            try:
                tokens, documents = index_size(database)
                sizes = f": token index {tokens / 1e6:.1f} MB, text {documents / 1e6:.1f} MB"
            except DatabaseError:  # an SQLite built without the dbstat table
                sizes = ""
            self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} articles{sizes}."))
