"""Bulk edits of selected articles. Each returns how many articles it actually changed."""

from django.db import transaction

from articles.core.batches import BATCH_SIZE
from articles.counts.keeping import kept
from articles.models import Article, TaggedArticle
from articles.search import update_index

from .history import record_relation_change, save_with_history


def _rows(queryset):
    """The selected articles, without the change list's ordering, DISTINCT and prefetches."""
    return Article.objects.filter(pk__in=queryset.prefetch_related(None).order_by().values("pk")).order_by("pk")


def set_status(queryset, status, *, reason="", user=None):
    """Publish, hide (with a reason for staff: ValueError without one) or return to draft."""
    hidden_reason = Article.hidden_reason_for(status, reason)
    with transaction.atomic():
        changed = []
        for article in _rows(queryset).select_for_update():
            if article.status != status or article.hidden_reason != hidden_reason:
                article.status = status
                article.hidden_reason = hidden_reason
                changed.append(article)
        label = Article.Status(status).label
        note = f"Status set to {label}" + (f": {hidden_reason}" if hidden_reason else "")
        return save_with_history(changed, ["status", "hidden_reason"], user=user, reason=note)


def set_featured(queryset, featured, *, user=None):
    with transaction.atomic():
        changed = [a for a in _rows(queryset).select_for_update() if a.featured != featured]
        for article in changed:
            article.featured = featured
        note = "Featured" if featured else "Unfeatured"
        return save_with_history(changed, ["featured"], user=user, reason=note)


def add_tags(queryset, tags, *, user=None):
    tag_ids = {tag.pk for tag in tags}
    with transaction.atomic():
        article_ids = list(_rows(queryset).values_list("pk", flat=True))
        existing = set(
            TaggedArticle.objects.filter(content_object_id__in=article_ids, tag_id__in=tag_ids).values_list(
                "content_object_id", "tag_id"
            )
        )
        links = [
            TaggedArticle(content_object_id=article_id, tag_id=tag_id)
            for article_id in article_ids
            for tag_id in tag_ids
            if (article_id, tag_id) not in existing
        ]
        changed = sorted({link.content_object_id for link in links})
        with kept(changed):
            TaggedArticle.objects.bulk_create(links, batch_size=BATCH_SIZE, ignore_conflicts=True)
        names = ", ".join(tag.name for tag in tags)
        record_relation_change(changed, user=user, reason=f"Tags added: {names}")
        update_index(changed)
        return len(changed)


def remove_tags(queryset, tags, *, user=None):
    with transaction.atomic():
        links = TaggedArticle.objects.filter(
            content_object_id__in=_rows(queryset).values("pk"), tag_id__in=[tag.pk for tag in tags]
        )
        changed = sorted(set(links.values_list("content_object_id", flat=True)))
        with kept(changed):
            links.delete()
        names = ", ".join(tag.name for tag in tags)
        record_relation_change(changed, user=user, reason=f"Tags removed: {names}")
        update_index(changed)
        return len(changed)


def set_category(queryset, category, *, replace=True, user=None):
    """Put the articles in ``category``; with ``replace`` it becomes their only category."""
    through = Article.categories.through
    with transaction.atomic():
        article_ids = list(_rows(queryset).values_list("pk", flat=True))
        current = {}
        for article_id, category_id in through.objects.filter(article_id__in=article_ids).values_list(
            "article_id", "category_id"
        ):
            current.setdefault(article_id, set()).add(category_id)
        wanted = {category.pk}
        changed = [
            article_id
            for article_id in article_ids
            if (current.get(article_id, set()) != wanted if replace else category.pk not in current.get(article_id, ()))
        ]
        with kept(changed):
            if replace:
                through.objects.filter(article_id__in=changed).exclude(category_id=category.pk).delete()
            through.objects.bulk_create(
                [through(article_id=article_id, category_id=category.pk) for article_id in changed],
                batch_size=BATCH_SIZE,
                ignore_conflicts=True,
            )
        verb = "Category set to" if replace else "Category added:"
        record_relation_change(changed, user=user, reason=f"{verb} {category.name}")
        update_index(changed)
        return len(changed)
