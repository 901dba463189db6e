"""Rebuild the search index from every article, in batches, with a progress bar on a terminal."""

import sys

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from tqdm import tqdm

from articles.batches import BATCH_SIZE, chunked
from articles.counts.keeping import rebuild as rebuild_counts
from articles.facets.version import bump
from articles.models import Article
from articles.search.indexing import clear_index, index_size, optimize_index, prepare_bulk_write, update_index


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

    def handle(self, *args, database, batch_size, verbosity, **options):
        ids = list(Article.objects.using(database).order_by("pk").values_list("pk", flat=True))
        batch_size = max(1, batch_size)
        show_bar = verbosity > 0 and sys.stderr.isatty()
        with transaction.atomic(using=database):
            clear_index(database)
            prepare_bulk_write(database)
            with tqdm(total=len(ids), unit="article", disable=not show_bar, file=sys.stderr) as bar:
                for batch in chunked(ids, batch_size):
                    update_index(batch, using=database)
                    bar.update(len(batch))
            optimize_index(database)
            bump(database)  # what searches match may differ now: cached facets must not outlive it
        rebuild_counts(database)
        if verbosity > 0:
            try:
                tokens, documents = index_size(database)
                sizes = f": token index {tokens / 1e6:.1f} MB, text {documents / 1e6:.1f} MB"
            except DatabaseError:  # an SQLite built without the dbstat table
                sizes = ""
            self.stdout.write(self.style.SUCCESS(f"Indexed {len(ids)} articles{sizes}."))
