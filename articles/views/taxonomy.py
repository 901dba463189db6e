"""Tag, category and author pages, and the tags index."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from ..caching import cache_key, cache_public_page
from ..facets import BadNarrowing, Facets, Narrowing, year_facet
from ..models import Article, TaggedArticle, published_lookups
from ..params import PAGE, YEAR
from ..queries import in_set
from ..seek import list_size, list_years
from ..taxonomy import CATEGORIES, TAGS
from .listing import render_article_list

AUTHOR_MAX_LENGTH = Article._meta.get_field("author").max_length


def render_list_by_year(request, narrow, counted, *, cache_key, context):
    """A tag's, category's or author's list, narrowed to ``?year=`` if asked, with the year facet.

    ``narrow`` narrows the published articles of a span to the list's (see ``seek``); ``counted``
    is the list as a query that counts well (a plain join). Its year counts, kept like a list's
    count, give the facet, the list's size and where each page lies. A year that is no year, or
    has none of the articles, is 404 (as in the date archive), so only lists that exist are cached.
    """
    try:
        narrowing = Narrowing.from_query(request.GET, ["year"])
    except BadNarrowing as exc:
        raise Http404(str(exc)) from exc
    counts = list_years(counted, cache_key)
    listed = counts
    if narrowing:
        listed = [(year, count) for year, count in counts if year == narrowing.year]
        cache_key = f"{cache_key}:{narrowing.year}"
    context = {**context, "facets": Facets(year=year_facet(counts, narrowing), narrowing=narrowing)}
    return render_article_list(
        request, None, cache_key=cache_key, context=context, allow_empty=not narrowing, years=(narrow, listed)
    )


def _moved(url, request):
    """A permanent redirect to the new address of a list, keeping the page and year asked for."""
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@require_safe
@cache_public_page(YEAR, PAGE)
def tag_detail(request, slug):
    tag, moved = TAGS.find_by_slug(slug)
    if moved:
        return _moved(reverse("articles:tag", kwargs={"slug": tag.slug}), request)
    key = f"tag:{tag.pk}"
    counted = Article.objects.published().filter(tagged_items__tag=tag)
    size = list_size(counted, key)
    links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag)
    narrow = in_set(links, size, {"tagged_items__tag": tag})
    return render_list_by_year(request, narrow, counted, cache_key=key, context={"tag": tag})


@require_safe
@cache_public_page(YEAR, PAGE)
def category_detail(request, slug):
    category, moved = CATEGORIES.find_by_slug(slug)
    if moved:
        return _moved(category.get_absolute_url(), request)
    key = f"category:{category.pk}"
    counted = Article.objects.published().filter(categories=category)
    size = list_size(counted, key)
    links = Article.categories.through.objects.filter(article=OuterRef("pk"), category=category)
    narrow = in_set(links, size, {"categories": category})
    return render_list_by_year(request, narrow, counted, cache_key=key, context={"category": category})


@require_safe
@cache_public_page(YEAR, PAGE)
def author_detail(request, name):
    if len(name) > AUTHOR_MAX_LENGTH:
        raise Http404("No articles by this author.")
    key, counted = f"author:{name}", Article.objects.published().filter(author=name)
    if not list_years(counted, key):
        raise Http404("No articles by this author.")
    narrow = lambda articles: articles.filter(author=name)  # noqa: E731
    return render_list_by_year(request, narrow, counted, cache_key=key, context={"author": name})


def tag_counts():
    """Every tag with public articles and their number, most used first (two queries, cached).

    Counting from the link table and joining the article only for its status is several
    times faster than annotating tags, and the index pages can be minutes out of date.
    """

    def build():
        counts = dict(
            TaggedArticle.objects.filter(**published_lookups(through="content_object__"))
            .values_list("tag_id")
            .annotate(count=Count("id"))
        )
        tags = Tag.objects.filter(id__in=counts).only("name", "slug")
        return sorted(
            ({"name": tag.name, "slug": tag.slug, "count": counts[tag.pk]} for tag in tags),
            key=lambda row: (-row["count"], row["name"]),
        )

    return cache.get_or_set(cache_key("tag-counts"), build, settings.ARCHIVE_INDEX_CACHE_SECONDS)


@require_safe
@cache_public_page()
def tag_index(request):
    return render(request, "articles/tag_index.html", {"tags": tag_counts()})
