"""Tag, category and author pages, and the tags index."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from ..caching import cache_public_page
from ..models import Article, Category, CategoryAlias, TagAlias, TaggedArticle
from ..pagination import cached_count
from ..params import PAGE
from ..queries import find_by_slug, in_set
from .listing import render_article_list

AUTHOR_MAX_LENGTH = Article._meta.get_field("author").max_length


@require_safe
@cache_public_page(PAGE)
def tag_detail(request, slug):
    tag, moved = find_by_slug(Tag, TagAlias, "tag", slug)
    if moved:
        return HttpResponsePermanentRedirect(reverse("articles:tag", kwargs={"slug": tag.slug}))
    key = f"tag:{tag.pk}"
    size = cached_count(Article.objects.published().filter(tagged_items__tag=tag), key)
    links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag)
    articles = in_set(links, size, {"tagged_items__tag": tag})
    return render_article_list(request, articles, cache_key=key, context={"tag": tag})


@require_safe
@cache_public_page(PAGE)
def category_detail(request, slug):
    category, moved = find_by_slug(Category, CategoryAlias, "category", slug)
    if moved:
        return HttpResponsePermanentRedirect(category.get_absolute_url())
    key = f"category:{category.pk}"
    size = cached_count(Article.objects.published().filter(categories=category), key)
    links = Article.categories.through.objects.filter(article=OuterRef("pk"), category=category)
    articles = in_set(links, size, {"categories": category})
    return render_article_list(request, articles, cache_key=key, context={"category": category})


@require_safe
@cache_public_page(PAGE)
def author_detail(request, name):
    articles = Article.objects.published().filter(author=name)
    if len(name) > AUTHOR_MAX_LENGTH or not articles.exists():
        raise Http404("No articles by this author.")
    return render_article_list(request, articles, cache_key=f"author:{name}", context={"author": name})


def tag_counts():
    """Every tag with public articles and their number, most used first (two queries, cached).

    Counting from the link table and joining the article only for its status is several
    times faster than annotating tags, and the index pages can be minutes out of date.
    """
    key = "archive:tag-counts"
    rows = cache.get(key)
    if rows is None:
        counts = dict(
            TaggedArticle.objects.filter(
                content_object__status=Article.Status.PUBLISHED, content_object__published_at__lte=timezone.now()
            )
            .values_list("tag_id")
            .annotate(count=Count("id"))
        )
        tags = Tag.objects.filter(id__in=counts).only("name", "slug")
        rows = sorted(
            ({"name": tag.name, "slug": tag.slug, "count": counts[tag.pk]} for tag in tags),
            key=lambda row: (-row["count"], row["name"]),
        )
        cache.set(key, rows, settings.ARCHIVE_INDEX_CACHE_SECONDS)
    return rows


@require_safe
@cache_public_page()
def tag_index(request):
    return render(request, "articles/tag_index.html", {"tags": tag_counts()})
