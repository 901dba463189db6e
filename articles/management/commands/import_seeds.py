"""``manage.py import_seeds [PATH ...]``: import Jekyll-style posts (default: ``seeds/``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.assets.runner import Scope, archive_assets
from articles.importer.runner import ImportStopped, import_paths
from articles.management.options import add_progress_arguments, check_workers


class Command(BaseCommand):
    help = (
        "Import posts with front matter (.md, .markdown, .html, .htm, .txt) from files and folders "
        "(recursive; Jekyll _posts/, _drafts/ and collections understood). Default: seeds/."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: seeds/)")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, write nothing")
        parser.add_argument("--overwrite", action="store_true", help="replace curators' edits with the source version")
        parser.add_argument("--root", help="folder that path-based import keys are relative to")
        parser.add_argument("--workers", type=int, help="parsing processes (default: one per core)")
        parser.add_argument(
            "--archive-assets",
            action="store_true",
            help="then archive the images of the articles this import created or updated (see archive_assets)",
        )
        add_progress_arguments(parser)

    def handle(self, *args, **options):
        paths = options["paths"] or [settings.BASE_DIR / "seeds"]
        check_workers(options["workers"])
        try:
            report = import_paths(
                paths,
                root=options["root"],
                dry_run=options["dry_run"],
                overwrite=options["overwrite"],
                progress=options["progress"],
                workers=options["workers"],
            )
        except ImportStopped as exc:
            raise CommandError(f"the import stopped: {exc}") from None
        for line in report.note_lines():
            self.stdout.write(f"note: {line}")
        for line in report.conflict_lines():
            self.stdout.write(self.style.WARNING(f"conflict: {line}"))
        for line in report.error_lines():
            self.stderr.write(line)
        summary = report.summary()
        if options["archive_assets"] and not options["dry_run"]:
            images = archive_assets(Scope(imported_since=report.run.started_at), progress=options["progress"])
            for line in images.summary():
                self.stdout.write(f"images: {line}")
        if not report.ok:
            self.stdout.write(self.style.ERROR(summary))
            raise CommandError(f"{report.failed} file(s) could not be imported (see the lines above)")
        self.stdout.write(self.style.SUCCESS(summary))
