"""The home page and the paginated article list every other list page reuses."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.web.caching import cache_public_page
from articles.web.pagination import PER_PAGE, KnownCountPaginator, get_page_or_404
from articles.web.params import PAGE
from articles.web.queries import fetch_cards, newest_first
from articles.web.seek import YearSeekPaginator, published_years

from .cards import render_cards

PINNED_MAX = 3


def render_article_list(
    request,
    queryset,
    *,
    cache_key,
    template="articles/article_list.html",
    context=None,
    pinned=(),
    allow_empty=True,
    count=None,
    years=None,
):
    """Render one page of a newest-first list (404 when it is empty and `allow_empty` is False).

    With ``years`` (see ``seek.YearSeekPaginator``: a function narrowing the published articles of
    a span to the list's, and the list's year counts, from the kept counts), a page is read from the
    year holding it, and the list's size is the counts' sum; otherwise ``queryset`` holds ``count``
    articles (kept counts too) and the paginator walks its ids. Then the page's rows and their tags
    are fetched by id: a constant number of queries. Each card's HTML comes from the card cache (see
    cards.py), so a page mostly renders its frame.
    """
    if years is not None:
        narrow, counts = years
        paginator = YearSeekPaginator(narrow, counts, PER_PAGE, allow_empty_first_page=allow_empty)
    else:
        ids = newest_first(queryset).values_list("id", flat=True)
        paginator = KnownCountPaginator(ids, PER_PAGE, count=count, allow_empty_first_page=allow_empty)
    page = get_page_or_404(paginator, request.GET.get("page"))
    page_ids = list(page.object_list)
    pinned_ids = list(pinned) if page.number == 1 else []
    rows = fetch_cards(pinned_ids + page_ids)
    pinned, articles = rows[: len(pinned_ids)], rows[len(pinned_ids) :]
    context = {
        **(context or {}),
        "page_obj": page,
        "paginator": paginator,
        "pinned": pinned,
        "articles": articles,
        "pinned_cards": render_cards(pinned, pinned=True),
        "cards": render_cards(articles),
    }
    return render(request, template, context)


@require_safe
@cache_public_page(PAGE)
def home(request):
    published = Article.objects.published()
    # `featured__in=[True]`, not `featured=True`: SQLite reads a bare boolean test as no
    # constraint on the (featured, status, published_at) index and scanned the whole list.
    featured = published.filter(featured__in=[True])
    pinned = dict(newest_first(featured).values_list("id", "published_at")[:PINNED_MAX])
    counts = dict(published_years())
    for published_at in pinned.values():  # on page 1, out of the list
        year = timezone.localtime(published_at).year
        counts[year] = max(0, counts.get(year, 0) - 1)
    return render_article_list(
        request,
        None,
        cache_key="home",
        pinned=list(pinned),
        context={"is_home": True},
        years=(lambda articles: articles.exclude(id__in=list(pinned)), sorted(counts.items(), reverse=True)),
    )
