"""The kept counts as they should be, counted again in Python from every article (no SQL month)."""

from collections import Counter

from django.utils import timezone

from articles.counts.keeping import TOTAL
from articles.models import Article, Tally


def month_of(moment):
    local = timezone.localtime(moment)
    return local.year * 100 + local.month


def expected():
    """{(kind, key, month): count} from the articles themselves."""
    counts = Counter()

    def add(kind, key, month):
        counts[kind, key, month] += 1
        counts[kind, key, TOTAL] += 1

    for article in Article.objects.prefetch_related("tags", "categories"):
        add("status", article.status, month_of(article.published_at))
        if article.status != Article.Status.PUBLISHED:
            continue
        month = month_of(article.published_at)
        add("archive", "", month)
        if article.author:
            add("author", article.author, month)
        for tag in article.tags.all():
            add("tag", str(tag.pk), month)
        for category in article.categories.all():
            add("category", str(category.pk), month)
    return dict(counts)


def kept():
    """The kept counts, rows at zero left out (a count that went down to nothing)."""
    rows = Tally.objects.exclude(kind="zone").exclude(value=0).values_list("kind", "key", "month", "value")
    return {(kind, key, month): value for kind, key, month, value in rows}


def assert_counts_right():
    assert kept() == expected()
