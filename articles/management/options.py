"""Options the commands share, written once: the progress bar switch and the number of workers."""

from django.core.management.base import CommandError


def add_progress_arguments(parser):
    """``--progress`` / ``--no-progress``; neither: a bar only when stderr is a terminal (``None``)."""
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", action="store_true", default=None, help="always show a progress bar")
    progress.add_argument("--no-progress", action="store_false", dest="progress", help="never show one")


def check_workers(workers):
    """``--workers``: None (the command's default) or at least 1."""
    if workers is not None and workers < 1:
        raise CommandError("--workers must be at least 1")
