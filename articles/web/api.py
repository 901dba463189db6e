"""A read-only JSON API: GET /api/articles/ (filtered, paginated) and GET /api/articles/<id>/."""

from datetime import date
from urllib.parse import urlencode

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles import search as engine
from articles.core import periods
from articles.facets import BadNarrowing, Facets, Narrowing, search_facets
from articles.models import Article

from .caching import cache_public_page
from .pagination import PER_PAGE, CachedCountPaginator, InvalidPage, KnownCountPaginator
from .params import AUTHOR, CATEGORY, FROM, ORDER, PAGE, QUERY, TAG, TO, YEAR, parse_page_number
from .queries import CARD_FIELDS, attach_tags, fetch_cards, newest_first
from .seek import YearSeekPaginator, published_years
from .throttling import refuse_when_limited


class BadRequest(ValueError):
    """A parameter a client got wrong; the message names it."""


FILTERS = ("tag", "category", "author", "year", "from", "to")


def parse_date(name, value):
    """A YYYY-MM-DD query parameter as a date, or None when absent."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(
            _("“%(name)s” must be a date like 2022-07-07, not “%(value)s”.") % {"name": name, "value": value}
        ) from exc


def filter_articles(params):
    """``(articles, narrowing)``: published articles from ``from`` to ``to``, and the year, tag,
    category and author narrowings (all optional), which facets count."""
    start, end = parse_date("from", params.get("from")), parse_date("to", params.get("to"))
    if start and end and start > end:
        raise BadRequest(_("“from” must not be after “to”."))
    try:
        narrowing = Narrowing.from_query(params)
    except BadNarrowing as exc:
        raise BadRequest(str(exc)) from exc
    return Article.objects.published(periods.local_midnight(start), periods.end_of(end)), narrowing


def serialize(request, article, tags, categories):
    return {
        "id": article.pk,
        "title": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "original_url": article.original_url,
        "published": article.local_published_at.isoformat(),
        "author": article.author,
        "tags": tags,
        "categories": categories,
        "excerpt": article.excerpt,
    }


def _tags(article):
    return [tag.name for tag in article.card_tags]


def _categories(article):
    return [category.name for category in article.categories.all()]


def _error(message, status):
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _page_link(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _too_many_searches(request):
    return _error(_("Too many searches from your address: wait a minute, then search again."), 429)


@require_safe
@refuse_when_limited(_too_many_searches)
@cache_public_page(QUERY, ORDER, TAG, CATEGORY, AUTHOR, YEAR, FROM, TO, PAGE)
def article_list(request):
    try:
        articles, narrowing = filter_articles(request.GET)
    except BadRequest as exc:
        return _error(str(exc), 400)
    number = parse_page_number(request.GET.get("page"))
    if number is None:
        return _error(_("“page” must be a positive whole number."), 400)
    facets = None
    if query := request.GET.get("q", "").strip():
        # Facets only for searches, which the search limit counts: a list's facets would be an unlimited search.
        order = request.GET.get("order", engine.DEFAULT_ORDER)
        found = engine.search(articles, query, order, narrow=narrowing.condition())
        dates = (request.GET.get("from", ""), request.GET.get("to", ""))
        facets = search_facets(found, narrowing, dates if any(dates) else None) if found.terms else None
        paginator = KnownCountPaginator(found.results, PER_PAGE, count=facets.total if facets else 0)
    elif not any(request.GET.get(name) for name in FILTERS):  # the whole archive: pages by its year counts
        paginator = YearSeekPaginator(lambda published: published, published_years(), PER_PAGE)
    else:
        filters = urlencode([(name, request.GET.get(name, "")) for name in FILTERS])
        paginator = CachedCountPaginator(
            newest_first(articles.filter(narrowing.condition())).values_list("id", flat=True),
            PER_PAGE,
            cache_key=f"api:{filters}",
        )
    try:
        page = paginator.page(number)
    except InvalidPage:
        return _error(_("There is no page %(page)s.") % {"page": number}, 404)
    ids = [getattr(item, "pk", item) for item in page.object_list]
    cards = fetch_cards(ids, extra_prefetch=("categories",))
    body = {
        "count": paginator.count,
        "next": _page_link(request, number + 1) if page.has_next() else None,
        "previous": _page_link(request, number - 1) if page.has_previous() else None,
        "results": [serialize(request, a, _tags(a), _categories(a)) for a in cards],
    }
    if query:
        body["facets"] = facets.as_json() if facets else Facets().as_json()
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
@cache_public_page()
def article_detail(request, pk):
    fields = (*CARD_FIELDS, "body_html")
    article = Article.objects.published().filter(pk=pk).only(*fields).prefetch_related("categories").first()
    if article is None:
        return _error(_("No published article has id %(id)s.") % {"id": pk}, 404)
    attach_tags([article])
    body = serialize(request, article, _tags(article), _categories(article))
    body.update(
        body_html=article.body_html,
        lead_image_url=article.lead_image_url,
        lead_image_caption=article.lead_image_caption,
        reading_time=article.reading_time,
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
