"""History rows ("created by import") for bulk-created articles, written straight from the articles.

The rows are those ``simple_history``'s ``bulk_create_with_history`` writes, without building a
historical model instance per article and preparing each field through the ORM.
"""

from django.conf import settings
from django.utils import timezone

from articles.models import Article

from .rows import insert_objects


def insert_history(articles, *, user=None, reason=""):
    """Write one "+" history row per saved article in ``articles``, by ``user`` (else the request's)."""
    if not articles or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Article.history.model
    if user is None:
        user = history.get_default_history_user(articles[0])
    fixed = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    insert_objects(history, articles, fixed=fixed)
