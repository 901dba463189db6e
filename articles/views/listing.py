"""The home page and the paginated article list every other list page reuses."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..caching import cache_public_page
from ..models import Article
from ..pagination import PER_PAGE, CachedCountPaginator, KnownCountPaginator, get_page_or_404
from ..params import PAGE
from ..queries import fetch_cards, newest_first
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
):
    """Render one page of `queryset` newest first (404 when it is empty and `allow_empty` is False).
    ``count``: the number of articles when it is known already (kept counts), else counted and cached.

    The paginator walks an id-only query (an index scan even on page 500), then
    the page's rows and their tags are fetched by id: a constant number of queries.
    Each card's HTML comes from the card cache (see cards.py), so a page mostly
    renders its frame.
    """
    ids = newest_first(queryset).values_list("id", flat=True)
    if count is None:
        paginator = CachedCountPaginator(ids, cache_key=cache_key, allow_empty_first_page=allow_empty)
    else:
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
    pinned = list(newest_first(featured).values_list("id", flat=True)[:PINNED_MAX])
    return render_article_list(
        request,
        published.exclude(id__in=pinned),
        cache_key="home",
        pinned=pinned,
        context={"is_home": True},
    )
