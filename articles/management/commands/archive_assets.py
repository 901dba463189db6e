"""``manage.py archive_assets``: keep local copies of the images articles show, or check their sources."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.assets import linkcheck
from articles.assets.runner import DEFAULT_WORKERS, Scope, archive_assets, make_fetcher
from articles.management.options import add_progress_arguments, check_workers


def parse_date(value):
    """A YYYY-MM-DD date as the start of that day in the site's time zone."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise CommandError(f"--since: {value!r} is not a date like 2024-01-31") from error
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = (
        "Fetch, verify and store a local copy of every remote image the articles show (body images and lead "
        "images), with WebP derivatives and a WARC record of the run. A second run fetches only what is new "
        "or due for a retry. With --check-sources, check the articles' original URLs instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, action="append", metavar="ID", help="only this article (repeatable)")
        parser.add_argument("--since", type=parse_date, metavar="DATE", help="only articles published on or after DATE")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="try failed, gone and refused images now, not at their retry time",
        )
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="parallel fetches (default: 8)")
        parser.add_argument("--limit", type=int, metavar="N", help="fetch (or check) at most N")
        parser.add_argument(
            "--check-sources", action="store_true", help="check each article's original URL (alive, moved, gone)"
        )
        add_progress_arguments(parser)

    def handle(self, *args, **options):
        check_workers(options["workers"])
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError("--limit must not be negative")
        scope = Scope(article_ids=options["article"], published_since=options["since"])
        if options["check_sources"]:
            return self.check_sources(scope, options)
        report = archive_assets(
            scope,
            retry_failed=options["retry_failed"],
            workers=options["workers"],
            limit=options["limit"],
            progress=options["progress"],
        )
        for line in report.summary():
            self.stdout.write(line)

    def check_sources(self, scope, options):
        fetcher = make_fetcher(options["workers"])
        try:
            verdicts = linkcheck.check_sources(
                scope.articles(),
                fetcher=fetcher,
                workers=options["workers"],
                limit=options["limit"],
                progress=options["progress"],
                force=options["article"] is not None or options["retry_failed"],
            )
        finally:
            fetcher.close()
        counts = ", ".join(f"{verdict} {n:,}" for verdict, n in sorted(verdicts.items())) or "nothing due"
        self.stdout.write(f"Sources checked: {counts}")
