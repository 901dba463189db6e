"""History records for changes that bypass ``Article.save()`` (bulk updates, tag and category links).

simple-history does not track taggit's links or the category table, and its rows cannot gain a
column without a migration, so each row curators write carries the article's tag and category
names at that version on the last line of its change reason (``with_relations``). Reverting to
that version puts them back; rows written elsewhere (the importer, older rows) have none.
"""

import json

from django.utils import timezone

from articles.core.batches import chunked
from articles.models import Article, TaggedArticle

RELATIONS_MARK = "\nTags and categories: "


def relation_names(article_ids):
    """{article id: {"tags": [...], "categories": [...]}}, names sorted; two queries a batch."""
    article_ids = list(article_ids)
    names = {pk: {"tags": [], "categories": []} for pk in article_ids}
    through = Article.categories.through
    for chunk in chunked(article_ids):
        tags = TaggedArticle.objects.filter(content_object_id__in=chunk).values_list("content_object_id", "tag__name")
        categories = through.objects.filter(article_id__in=chunk).values_list("article_id", "category__name")
        for kind, rows in (("tags", tags), ("categories", categories)):
            for pk, name in rows:
                names[pk][kind].append(name)
    for entry in names.values():
        entry["tags"].sort()
        entry["categories"].sort()
    return names


def with_relations(reason, relations):
    """The change reason followed by the tag and category names of this version."""
    data = {"tags": sorted(relations["tags"]), "categories": sorted(relations["categories"])}
    return f"{reason}{RELATIONS_MARK}{json.dumps(data, ensure_ascii=False)}"


def split_reason(reason):
    """(the reason as written, {"tags": [...], "categories": [...]} or None when not recorded)."""
    text, mark, data = (reason or "").partition(RELATIONS_MARK)
    if not mark:
        return text, None
    try:
        relations = json.loads(data)
        return text, {"tags": list(relations["tags"]), "categories": list(relations["categories"])}
    except (ValueError, TypeError, KeyError):
        return reason, None


def save_with_history(articles, fields, *, user=None, reason=""):
    """Bulk-update ``fields`` of ``articles`` (already changed in memory), one history row each
    carrying its tag and category names (``with_relations``)."""
    articles = list(articles)
    if not articles:
        return 0
    now = timezone.now()
    relations = relation_names(article.pk for article in articles)
    for article in articles:
        article.updated_at = now
        article._change_reason = with_relations(reason, relations[article.pk])
    return Article.objects.update_with_history(articles, [*fields, "updated_at"], user=user, reason=reason)


def record_relation_change(article_ids, *, user=None, reason=""):
    """Record a history row for articles whose tags or categories changed.

    The change is written into the change reason ("Tags added: 台海") with the names the article
    has now, and ``updated_at`` moves on so feeds, sitemaps and caches see the article changed.
    """
    article_ids = list(article_ids)
    if not article_ids:
        return 0
    Article.objects.record_first_versions(article_ids)
    now = timezone.now()
    Article.objects.filter(pk__in=article_ids).update(updated_at=now)
    for ids in chunked(article_ids):
        chunk = list(Article.objects.filter(pk__in=ids))
        relations = relation_names(article.pk for article in chunk)
        for article in chunk:
            article._change_reason = with_relations(reason, relations[article.pk])
        Article.history.bulk_history_create(
            chunk,
            update=True,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    return len(article_ids)
