"""``manage.py export_posts DIR``: the archive as a Jekyll site source (see docs/exporting.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from articles.export.files import ExportError
from articles.export.runner import export_articles, select
from articles.management.options import add_progress_arguments, check_workers
from articles.models import Article


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since: {value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Write articles as a Jekyll site source: _posts/YYYY-MM-DD-<slug>.html, drafts in _drafts/, "
        "hidden ones with published: false; `jekyll build` then gives the archive's own URLs."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="where to write (created if missing; must be empty)")
        parser.add_argument(
            "--status",
            action="append",
            choices=Article.Status.values,
            help="only articles with this status (repeat for several; default: all)",
        )
        parser.add_argument("--since", type=_day, help="only articles published on or after this day (YYYY-MM-DD)")
        parser.add_argument("--tag", help="only articles with this tag (name or slug)")
        parser.add_argument("--category", help="only articles in this category (name or slug)")
        parser.add_argument("--force", action="store_true", help="write into a folder that is not empty")
        parser.add_argument("--workers", type=int, help="writing processes (default: one per core)")
        add_progress_arguments(parser)

    def handle(self, *args, **options):
        check_workers(options["workers"])
        try:
            articles = select(
                statuses=options["status"] or (),
                since=options["since"],
                tag=options["tag"],
                category=options["category"],
            )
            report = export_articles(
                options["folder"],
                articles,
                force=options["force"],
                progress=options["progress"],
                workers=options["workers"],
            )
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        for name, url, reason in report.missing:
            self.stderr.write(f"{name}: the archived copy of {url} cannot be read ({reason}); posts keep its address")
        for where, reason in report.errors:
            self.stderr.write(f"{where}: {reason}")
        if report.errors:
            self.stdout.write(self.style.ERROR(report.summary()))
            raise CommandError(f"{len(report.errors)} article(s) could not be written (see the lines above)")
        self.stdout.write(self.style.SUCCESS(report.summary()))
