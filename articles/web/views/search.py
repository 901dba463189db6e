"""The search page: the engine's results with count, snippets, an order switch and facets."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles import search as engine
from articles.facets import BadNarrowing, Narrowing, search_facets
from articles.models import Article
from articles.web import charts
from articles.web.pagination import PER_PAGE, KnownCountPaginator, get_page_or_404
from articles.web.params import AUTHOR, CATEGORY, ORDER, PAGE, QUERY, TAG, YEAR, query_params
from articles.web.throttling import refuse_when_limited


def too_many_searches(request):
    """The page a client past its search limit gets (429, see ``throttling``); the same for every query."""
    return render(request, "429.html", {"search_query": ""})


@require_safe
@refuse_when_limited(too_many_searches)
@query_params(QUERY, ORDER, YEAR, CATEGORY, AUTHOR, TAG, PAGE)
def search(request):
    query = request.GET.get("q", "").strip()
    order = request.GET.get("order", engine.DEFAULT_ORDER)  # a known one: ``query_params`` left only those
    try:
        narrowing = Narrowing.from_query(request.GET)
    except BadNarrowing as exc:
        raise Http404(str(exc)) from exc
    context = {"query": query, "order": order, "orders": engine.ORDERS.items(), "narrowing": narrowing}
    if query:
        found = engine.search(Article.objects.published(), query, order, narrow=narrowing.condition())
        facets = search_facets(found, narrowing) if found.terms else None
        paginator = KnownCountPaginator(found.results, PER_PAGE, count=facets.total if facets else 0)
        page = get_page_or_404(paginator, request.GET.get("page"))
        context.update(
            message=found.message,
            page_obj=page,
            paginator=paginator,
            facets=facets,
            hits=[(article, found.snippet(article)) for article in page.object_list],
            timeline=charts.timeline(facets.months, charts.narrowing_link(request)) if facets else None,
        )
    return render(request, "articles/search.html", context)
