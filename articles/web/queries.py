"""Querysets shared by the pages, feeds and API: lean columns, tags in one query."""

from typing import NamedTuple

from django.db.models import Exists, Prefetch

from articles.models import Article, TaggedArticle

# What a list item shows; the body columns stay in the database.
CARD_FIELDS = (
    "id",
    "title",
    "slug",
    "excerpt",
    "author",
    "published_at",
    "lead_image_url",
    "lead_image_caption",
    "reading_time",
    "status",
    "featured",
    "original_url",
    "updated_at",
)


def tags_prefetch():
    """Each article's tag links with their tags, sorted by name, in one query for the whole page."""
    links = TaggedArticle.objects.select_related("tag").only("id", "content_object_id", "tag__name", "tag__slug")
    return Prefetch("tagged_items", queryset=links.order_by("tag__name"), to_attr="tag_links")


class TagRef(NamedTuple):
    slug: str
    name: str


def attach_tags(articles):
    """Set each article's ``card_tags`` to its tags as (slug, name), sorted by name: one query, no model rows.

    A list page shows a couple of hundred tag links; plain tuples cost a fraction of
    building a link and a tag instance for each.
    """
    by_id = {article.pk: [] for article in articles}
    if by_id:
        links = TaggedArticle.objects.filter(content_object_id__in=by_id).order_by("tag__name", "tag_id")
        for pk, slug, name in links.values_list("content_object_id", "tag__slug", "tag__name"):
            by_id[pk].append(TagRef(slug, name))
    for article in articles:
        article.card_tags = by_id[article.pk]
    return articles


def fetch_cards(ids, *, extra_prefetch=()):
    """The articles with these ids, in the same order (kept in Python: no SQL sort), with ``card_tags``."""
    if not ids:
        return []
    rows = Article.objects.filter(id__in=ids).only(*CARD_FIELDS).order_by().prefetch_related(*extra_prefetch)
    by_id = {article.id: article for article in rows}
    return attach_tags([by_id[pk] for pk in ids if pk in by_id])


# Ties on the publication time are broken by id ascending: that is the order in which
# SQLite's (status, published_at DESC) index already holds the rows, so even page 500
# is a covering index scan and no sort.
LIST_ORDER = ("-published_at", "id")

# A tag or category with more public articles than this is listed by walking the
# articles newest first and probing the link table, instead of sorting all its links.
WALK_THRESHOLD = 1000


def newest_first(queryset):
    return queryset.order_by(*LIST_ORDER)


def in_set(links, size, join_filter):
    """A function narrowing published articles to a tag's or category's, with the query plan that
    suits its size (see ``seek.YearSeekPaginator``).

    `links` are the link rows for that tag or category, filtered to ``OuterRef("pk")``;
    `join_filter` is the same condition as a plain join. Small sets are joined and sorted;
    large ones are found by walking the newest-first index and probing each article's
    link, which is much cheaper than sorting thousands of rows on every page.
    """
    if size > WALK_THRESHOLD:
        return lambda articles: articles.filter(Exists(links))
    return lambda articles: articles.filter(**join_filter)
