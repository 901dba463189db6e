"""One article: its page, neighbours and related articles."""

from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from articles.assets.display import ARTICLE_SIZES, ARTICLE_WIDTH, localize_article, source_gone, wayback_url
from articles.core import periods
from articles.core.cache import cache_key, related_seconds
from articles.core.site import site_name
from articles.models import Article, TaggedArticle
from articles.web.caching import cache_public_page
from articles.web.queries import tags_prefetch
from articles.web.redirects import stored_redirect

from .outline import fit_headings

RELATED_MAX = 5
# Related articles are ranked among the articles added next to this one in each of its tags: this
# many before it and as many after, by id. A tag on a tenth of a million articles is not read whole.
RELATED_NEIGHBOURS = 100
NEIGHBOUR_FIELDS = ("id", "title", "slug", "published_at")


def neighbours(article):
    """The published articles just before and after this one (two indexed queries)."""
    at, pk = article.published_at, article.pk
    # The same order as the lists: newest first, ties by id ascending. Each query is one
    # index range with the ties trimmed by a plain filter (an OR of two ranges, or two
    # upper bounds, would keep SQLite from using the index well).
    older = Article.objects.published(end=periods.just_after(at)).exclude(published_at=at, id__lte=pk)
    newer = Article.objects.published(start=at).exclude(published_at=at, id__gte=pk)
    older, newer = older.order_by("-published_at", "id"), newer.order_by("published_at", "-id")
    return older.only(*NEIGHBOUR_FIELDS).first(), newer.only(*NEIGHBOUR_FIELDS).first()


def tag_neighbours(article, tag_ids):
    """SQL (and its parameters) for the ids of the articles next to ``article`` in each of its tags:
    ``RELATED_NEIGHBOURS`` on each side by id, each range one short walk of the (tag, article) index."""
    quote = connection.ops.quote_name
    table, tag, item = (quote(name) for name in (TaggedArticle._meta.db_table, "tag_id", "content_object_id"))
    # Raw SQL: Django refuses LIMIT in the parts of a UNION. Names are quoted, values are parameters.
    side = f"SELECT * FROM (SELECT {item} FROM {table} WHERE {tag} = %s AND {item} {{}} %s"  # noqa: S608
    side += f" ORDER BY {item} {{}} LIMIT %s) n"
    parts, params = [], []
    for tag_id in tag_ids:
        for direction in (("<", "DESC"), (">", "ASC")):
            parts.append(side.format(*direction))
            params += [tag_id, article.pk, RELATED_NEIGHBOURS]
    return " UNION ALL ".join(parts), params


def related_articles(article, tag_ids):
    """Up to five published articles sharing the most tags, newest first among equals (one query),
    chosen among the article's neighbours in each of its tags (``tag_neighbours``).

    The ranking is cached per article version. (Not with ``get_or_set``: a miss returns the
    articles it ranked, a hit reads them by id.)
    """
    if not tag_ids:
        return []
    key = cache_key("related", article.pk, article.updated_at.timestamp())
    ids = cache.get(key)
    if ids is not None:
        # By primary key, publication checked here: a status filter would make the planner walk
        # the status index instead (8 ms against 0.03 ms at 100,000 articles on SQLite).
        rows = Article.objects.filter(id__in=ids).order_by().only(*NEIGHBOUR_FIELDS, "status").in_bulk()
        return [rows[pk] for pk in ids if pk in rows and rows[pk].is_public]
    related = list(
        Article.objects.published()
        .only(*NEIGHBOUR_FIELDS)
        .filter(id__in=RawSQL(*tag_neighbours(article, tag_ids)), tagged_items__tag_id__in=tag_ids)  # noqa: S611
        .exclude(pk=article.pk)
        .annotate(shared=Count("tagged_items"))
        .order_by("-shared", "-published_at", "-id")[:RELATED_MAX]
    )
    cache.set(key, [a.pk for a in related], related_seconds())
    return related


@require_safe
@cache_public_page()
@vary_on_cookie  # staff see drafts and hidden articles here
def article_detail(request, year, month, day, slug):
    visible = Article.objects.visible_to(request.user).prefetch_related(tags_prefetch(), "categories")
    article = (
        visible.filter(slug=slug)
        .defer("import_snapshot", "front_matter")
        .select_related("source_check", "source_removal")
        .first()
    )
    if article is None:
        return stored_redirect(request) or _not_found()
    if (int(year), int(month), int(day)) != _local_date(article):
        # The slug is unique: a wrong date in the address is an old link, not another article.
        return redirect(article, permanent=True)
    tags = [link.tag for link in article.tag_links]
    older, newer = neighbours(article)
    body_html, lead_image = localize_article(article)
    context = {
        "article": article,
        "body_html": fit_headings(body_html),
        "lead_image": lead_image,
        "lead_src": lead_image.src(ARTICLE_WIDTH) if lead_image else "",
        "image_sizes": ARTICLE_SIZES,
        "wayback_url": wayback_url(article.original_url) if source_gone(article) else "",
        "tags": tags,
        "categories": list(article.categories.all()),
        "older": older,
        "newer": newer,
        "related": related_articles(article, [tag.pk for tag in tags]),
        "preview": not article.is_public,
        **page_metadata(request, article, tags, lead_image),
    }
    return render(request, "articles/article_detail.html", context)


def page_metadata(request, article, tags, lead_image=None):
    """Canonical URL, description, lead figure choice, share image and JSON-LD for the article page."""
    canonical = request.build_absolute_uri(article.get_absolute_url())
    description = Truncator(strip_tags(article.excerpt or article.body_text)).chars(160)
    image = request.build_absolute_uri(lead_image.original) if lead_image else article.lead_image_url
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "datePublished": article.local_published_at.isoformat(),
        "dateModified": timezone.localtime(article.updated_at).isoformat(),
        "mainEntityOfPage": canonical,
        "url": canonical,
        "inLanguage": "zh",
        "description": description,
        "keywords": [tag.name for tag in tags],
        "publisher": {"@type": "Organization", "name": site_name()},
    }
    if article.author:
        data["author"] = {"@type": "Organization", "name": article.author}
    if image:
        data["image"] = [image]
    if article.original_url:
        data["isBasedOn"] = article.original_url
    return {
        "canonical_url": canonical,
        "description": description,
        "structured_data": data,
        "share_image": image,
        "source_host": urlsplit(article.original_url).hostname or article.original_url,
        # Many imported bodies already open with their lead picture: show it once.
        "show_lead_figure": bool(image) and not _in_body(article.lead_image_url, article.body_html),
    }


def _in_body(url, body_html):
    return url in body_html or escape(url) in body_html


def _local_date(article):
    local = article.local_published_at
    return (local.year, local.month, local.day)


def _not_found():
    raise Http404("No article at this address.")
