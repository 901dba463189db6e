"""Tag, category and author pages, and the tags index."""

from django.core.cache import cache
from django.db.models import Count, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.core.cache import cache_key, index_seconds
from articles.facets import BadNarrowing, Facets, Narrowing, year_counts, year_facet
from articles.models import CATEGORIES, TAGS, Article, TaggedArticle, published_lookups
from articles.web.caching import cache_public_page
from articles.web.pagination import cached_count, cached_counts
from articles.web.params import PAGE, YEAR
from articles.web.queries import in_set

from .listing import render_article_list

AUTHOR_MAX_LENGTH = Article._meta.get_field("author").max_length


def render_list_by_year(request, articles, counted, *, cache_key, context):
    """A tag's, category's or author's list, narrowed to ``?year=`` if asked, with the year facet.

    ``counted`` is the same articles as a query that counts well (a plain join); the year counts
    are kept like the list's count. A year that is no year, or has none of the articles, is 404
    (as in the date archive), so only lists that exist are cached.
    """
    try:
        narrowing = Narrowing.from_query(request.GET, ["year"])
    except BadNarrowing as exc:
        raise Http404(str(exc)) from exc
    counts = cached_counts(f"years:{cache_key}", lambda: year_counts(counted))
    if narrowing:
        articles, cache_key = articles.filter(narrowing.condition()), f"{cache_key}:{narrowing.year}"
    context = {**context, "facets": Facets(year=year_facet(counts, narrowing), narrowing=narrowing)}
    return render_article_list(request, articles, cache_key=cache_key, context=context, allow_empty=not narrowing)


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
    size = cached_count(counted, key)
    links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag)
    articles = in_set(links, size, {"tagged_items__tag": tag})
    return render_list_by_year(request, articles, counted, cache_key=key, context={"tag": tag})


@require_safe
@cache_public_page(YEAR, PAGE)
def category_detail(request, slug):
    category, moved = CATEGORIES.find_by_slug(slug)
    if moved:
        return _moved(category.get_absolute_url(), request)
    key = f"category:{category.pk}"
    counted = Article.objects.published().filter(categories=category)
    size = cached_count(counted, key)
    links = Article.categories.through.objects.filter(article=OuterRef("pk"), category=category)
    articles = in_set(links, size, {"categories": category})
    return render_list_by_year(request, articles, counted, cache_key=key, context={"category": category})


@require_safe
@cache_public_page(YEAR, PAGE)
def author_detail(request, name):
    articles = Article.objects.published().filter(author=name)
    if len(name) > AUTHOR_MAX_LENGTH or not articles.exists():
        raise Http404("No articles by this author.")
    return render_list_by_year(request, articles, articles, cache_key=f"author:{name}", context={"author": name})


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

    return cache.get_or_set(cache_key("tag-counts"), build, index_seconds())


@require_safe
@cache_public_page()
def tag_index(request):
    return render(request, "articles/tag_index.html", {"tags": tag_counts()})
