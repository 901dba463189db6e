"""The admin's archiving, run by the background worker (django-tasks: ``manage.py db_worker``).

A click only enqueues; the worker fetches, with failed images tried again (a curator asked for them
now). One task works at most ARCHIVE_ASSETS_ADMIN_SECONDS, so it cannot hold the worker (which also
runs admin imports) for long; what it leaves stays due for the next click or ``archive_assets`` run.
"""

from django.conf import settings
from django_tasks import task

from .runner import Scope, archive_assets


@task()
def archive_in_background(article_ids=None, asset_ids=None):
    """Archive the images of ``article_ids``, or the images ``asset_ids``; returns the run's summary."""
    scope = Scope(article_ids=article_ids, asset_ids=asset_ids)
    report = archive_assets(scope, retry_failed=True, seconds=settings.ARCHIVE_ASSETS_ADMIN_SECONDS, progress=False)
    return report.summary()
