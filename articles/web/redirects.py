"""Addresses the curators moved (merged duplicates) and posts' old paths: a stored 301 to the
article, from the article views that miss and from the middleware for any other 404 (never for a
page of the site: see ``routes``)."""

from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path, uri_to_iri

from articles.models import Article, ArticleRedirect, max_length
from articles.models.routes import holders, request_route, slash_twin

OLD_PATH_MAX = max_length(ArticleRedirect, "old_path")


def stored_redirect(request):
    """A 301 for an address the curators moved (a merged duplicate's) or a post's ``aliases`` name,
    with or without its trailing slash; else None.

    Not for a page of the site (a list's page past the end stays a 404), nor for an article's
    address while an article holds it, unless that one is hidden and the redirect is newer (a
    merged duplicate's): a post whose alias named another article's address never takes it over.
    """
    request.stored_redirect_checked = True  # the fallback middleware does not ask again
    route = request_route(request)
    if route is not None and not route.of_article:
        return None
    path = request.path
    candidates = {variant for p in (path, slash_twin(path)) for variant in (p, escape_uri_path(p), uri_to_iri(p))}
    found = (
        ArticleRedirect.objects.filter(old_path__in=candidates)
        .select_related("article")
        .only("created_at", "article__slug", "article__published_at", "article__status")
        .first()
    )
    if found is None:
        return None
    if route is not None and not _may_take(found, holders(route)):
        return None
    if not Article.objects.visible_to(request.user).filter(pk=found.article_id).exists():
        return None
    response = HttpResponsePermanentRedirect(found.article.get_absolute_url())
    patch_vary_headers(response, ["Cookie"])  # staff are sent to drafts too, others are not
    return response


def _may_take(redirect, holders):
    """Whether ``redirect`` may answer an article's address that ``holders`` (any status) hold."""
    return all(a.status == Article.Status.HIDDEN and a.created_at <= redirect.created_at for a in holders)


class StoredRedirectMiddleware:
    """Answers a 404 with a stored redirect when there is one, whatever the address looks like
    (Hugo aliases such as ``/posts/old-name/``), as ``django.contrib.redirects`` does; but not a
    404 of one of the site's pages (see ``stored_redirect``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if getattr(request, "stored_redirect_checked", False) or len(request.path) > OLD_PATH_MAX:
            return response  # asked already, or longer than any stored path
        return stored_redirect(request) or response
