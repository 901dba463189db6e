"""Tag, category and author pages, and the tags index."""

from html import escape

from django.db.models import OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.counts import reading as counts
from articles.counts.keeping import AUTHOR, CATEGORY, TAG
from articles.counts.months import years
from articles.facets import BadNarrowing, Facets, Narrowing, year_facet
from articles.models import CATEGORIES, TAGS, Article, TaggedArticle
from articles.reading.choice import active
from articles.reading.convert import convert_text
from articles.web import charts
from articles.web.caching import cache_public_page
from articles.web.links import segment_links
from articles.web.params import PAGE, YEAR
from articles.web.queries import in_set

from .listing import render_article_list

AUTHOR_MAX_LENGTH = Article._meta.get_field("author").max_length


def render_list_by_year(request, narrow, months, *, cache_key, context):
    """A tag's, category's or author's list, narrowed to ``?year=`` if asked, with its timeline and year facet.

    ``narrow`` narrows the published articles of a span to the list's (see ``seek``); ``months``:
    its kept counts (``counts.reading.months``), which give the years, the list's size and where
    each page lies. A year that is no year, or has none of the articles, is 404 (as in the date
    archive), so only lists that exist are cached.
    """
    try:
        narrowing = Narrowing.from_query(request.GET, ["year"])
    except BadNarrowing as exc:
        raise Http404(str(exc)) from exc
    by_year = years(months)
    listed = by_year
    if narrowing:
        listed = [(year, count) for year, count in by_year if year == narrowing.year]
        cache_key = f"{cache_key}:{narrowing.year}"
    context = {
        **context,
        "facets": Facets(year=year_facet(by_year, narrowing), narrowing=narrowing),
        "timeline": charts.timeline(months, charts.narrowing_link(request)),
    }
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
    key, months = f"tag:{tag.pk}", counts.months(TAG, tag.pk)
    size = sum(count for _month, count in months)
    links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag)
    narrow = in_set(links, size, {"tagged_items__tag": tag})
    return render_list_by_year(request, narrow, months, cache_key=key, context={"tag": tag})


@require_safe
@cache_public_page(YEAR, PAGE)
def category_detail(request, slug):
    category, moved = CATEGORIES.find_by_slug(slug)
    if moved:
        return _moved(category.get_absolute_url(), request)
    key, months = f"category:{category.pk}", counts.months(CATEGORY, category.pk)
    size = sum(count for _month, count in months)
    links = Article.categories.through.objects.filter(article=OuterRef("pk"), category=category)
    narrow = in_set(links, size, {"categories": category})
    return render_list_by_year(request, narrow, months, cache_key=key, context={"category": category})


@require_safe
@cache_public_page(YEAR, PAGE)
def author_detail(request, name):
    months = counts.months(AUTHOR, name) if len(name) <= AUTHOR_MAX_LENGTH else []
    if not months:
        raise Http404("No articles by this author.")
    narrow = lambda articles: articles.filter(author=name)  # noqa: E731
    return render_list_by_year(request, narrow, months, cache_key=f"author:{name}", context={"author": name})


def tag_counts():
    """Every tag with public articles and their number, most used first: the kept totals, then the
    tags' names (two queries)."""
    totals = counts.tag_totals()
    tags = Tag.objects.filter(id__in=totals).values_list("pk", "name", "slug")
    return sorted(
        ({"name": name, "slug": slug, "count": totals[pk]} for pk, name, slug in tags),
        key=lambda row: (-row["count"], row["name"]),
    )


def tag_items(tags):
    """The index's list items (safe HTML): each tag's name in the reader's script, its count, its link.

    Written here with ``html.escape`` rather than by a template loop or ``format_html``, with the
    links made by one ``reverse``: at 2,000 tags those cost 100-200 ms of CPU, this a few.
    """
    urls = segment_links("articles:tag", [tag["slug"] for tag in tags])
    lang = escape(active().lang)
    items = []
    for tag in tags:
        name = f'<span class="name" lang="{lang}">{escape(convert_text(tag["name"]))}</span>'
        text = f'{name} <span class="n">{tag["count"]:,}</span>'
        url = urls[tag["slug"]]
        items.append(f'<li><a href="{escape(url)}">{text}</a></li>' if url else f"<li>{text}</li>")
    return mark_safe("".join(items))  # noqa: S308 (every value escaped above)


@require_safe
@cache_public_page()
def tag_index(request):
    tags = tag_counts()
    return render(request, "articles/tag_index.html", {"tags": tags, "items": tag_items(tags)})
