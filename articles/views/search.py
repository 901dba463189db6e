"""The search page: the engine's results with count, snippets and an order switch."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import search as engine
from ..models import Article
from ..pagination import PER_PAGE, get_page_or_404
from ..params import ORDER, PAGE, QUERY, query_params
from ..throttling import refuse_when_limited


def too_many_searches(request):
    """The page a client past its search limit gets (429, see ``throttling``); the same for every query."""
    return render(request, "429.html", {"search_query": ""})


@require_safe
@refuse_when_limited(too_many_searches)
@query_params(QUERY, ORDER, PAGE)
def search(request):
    query = request.GET.get("q", "").strip()
    order = request.GET.get("order", engine.DEFAULT_ORDER)
    if order not in engine.ORDERS:
        order = engine.DEFAULT_ORDER
    context = {"query": query, "order": order, "orders": engine.ORDERS.items()}
    if query:
        found = engine.search(Article.objects.published(), query, order)
        page = get_page_or_404(Paginator(found.results, PER_PAGE), request.GET.get("page"))
        context.update(
            message=found.message,
            page_obj=page,
            paginator=page.paginator,
            hits=[(article, found.snippet(article)) for article in page.object_list],
        )
    return render(request, "articles/search.html", context)
