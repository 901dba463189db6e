"""The site's own addresses: which of its routes a path names, and which articles hold an article's address.

A stored redirect (``ArticleRedirect``: a merged duplicate's address, a post's ``aliases``) answers
only what would otherwise be a 404, and never a page of the site: an alias of ``/`` or
``/search/`` made a page past the end or a malformed parameter there a 301 to a post. Article
addresses are the exception, since an article's old address moves with it: it may be redirected
when no article holds it, or when the one holding it is hidden and the redirect was stored after
it was made (a merged duplicate is hidden, and its address then redirects to the article kept).
The routes come from the URLconf itself, so a page added to the site is covered at once.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote

from django.conf import settings
from django.urls import Resolver404, resolve

from .article import Article

ARTICLE_PAGE, OLD_JEKYLL_URL = "articles:detail", "articles:legacy-post"
# Jekyll builds the date part of a URL in its own configured time zone, which may
# differ from ours by up to a day either way.
LEGACY_DATE_SLACK = timedelta(days=1)
# Addresses of files rather than views: static files (WhiteNoise or nginx serve them) and archived
# images (the app's view, or nginx, or a bucket when MEDIA_URL is absolute).
FILE_URL_SETTINGS = ("STATIC_URL", "MEDIA_URL")


@dataclass(frozen=True)
class Route:
    name: str  # the URL pattern's name (``articles:search``), or the setting of a file path's prefix
    kwargs: dict

    @property
    def of_article(self):
        """An article's page or an old Jekyll URL of one: addresses that move with their articles."""
        return self.name in (ARTICLE_PAGE, OLD_JEKYLL_URL)


def slash_twin(path):
    """``path`` with its trailing slash added or taken away."""
    return path.rstrip("/") if path.endswith("/") else path + "/"


def site_route(path):
    """The ``Route`` that ``path`` (an absolute URL path, percent-encoded or not) names, else None.

    Its trailing-slash twin counts too: a stored redirect answers both, and APPEND_SLASH makes
    ``/search`` the search page's address as well.
    """
    path = unquote(path)
    for setting in FILE_URL_SETTINGS:
        prefix = getattr(settings, setting)
        if prefix.startswith("/") and (path + "/").startswith(prefix):
            return Route(setting, {})
    for candidate in (path, slash_twin(path)):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        return Route(_name(match), match.kwargs)
    return None


def _name(match):
    """The URL pattern's name with its namespaces; for an unnamed pattern (the admin's catch-all), its namespace."""
    return match.view_name if match.url_name else (match.namespace or match.view_name)


def request_route(request):
    """The route a request reached (its view's), else the one its path names (see ``site_route``)."""
    match = request.resolver_match
    return Route(_name(match), match.kwargs) if match else site_route(request.path_info)


def legacy_day(kwargs):
    """The date in an old Jekyll URL (its route's ``kwargs``), or None for one that is no date (2021-02-30)."""
    try:
        return date(int(kwargs["year"]), int(kwargs["month"]), int(kwargs["day"]))
    except ValueError:
        return None


def near(articles, day):
    """The articles published (in the site's zone) within ``LEGACY_DATE_SLACK`` of ``day``, nearest first."""
    distances = [(abs(article.local_published_at.date() - day), article) for article in articles]
    return [
        article for distance, article in sorted(distances, key=lambda pair: pair[0]) if distance <= LEGACY_DATE_SLACK
    ]


def holders(route):
    """The articles, whatever their status, whose address ``route`` is: by slug for an article's page,
    by Jekyll slug and date for an old Jekyll URL; none for other routes."""
    articles = Article.objects.only("status", "published_at", "created_at")
    if route.name == ARTICLE_PAGE:
        return list(articles.filter(slug=route.kwargs["slug"]))
    if route.name == OLD_JEKYLL_URL:
        day = legacy_day(route.kwargs)
        return near(articles.filter(legacy_slug=route.kwargs["slug"]), day) if day else []
    return []


def held_addresses(paths):
    """{path: id of the article holding it} for those of ``paths`` that are articles' addresses
    (any status). Two queries at most, whatever the number of paths."""
    routes = {path: site_route(path) for path in paths}
    pages = {path: r.kwargs["slug"] for path, r in routes.items() if r and r.name == ARTICLE_PAGE}
    jekyll = {path: r for path, r in routes.items() if r and r.name == OLD_JEKYLL_URL and legacy_day(r.kwargs)}
    held = {}
    if pages:
        ids = dict(Article.objects.filter(slug__in=set(pages.values())).values_list("slug", "pk"))
        held |= {path: ids[slug] for path, slug in pages.items() if slug in ids}
    if jekyll:
        by_slug = {}
        for article in Article.objects.filter(legacy_slug__in={r.kwargs["slug"] for r in jekyll.values()}).only(
            "legacy_slug", "published_at"
        ):
            by_slug.setdefault(article.legacy_slug, []).append(article)
        for path, route in jekyll.items():
            found = near(by_slug.get(route.kwargs["slug"], ()), legacy_day(route.kwargs))
            if found:
                held[path] = found[0].pk
    return held
