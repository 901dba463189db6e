"""Addresses the curators moved (merged duplicates, renamed slugs) and posts' old paths: a stored
301 to the article, from the views that miss and from the middleware for any other 404."""

from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path, uri_to_iri

from articles.models import Article, ArticleRedirect, max_length

OLD_PATH_MAX = max_length(ArticleRedirect, "old_path")


def stored_redirect(request):
    """A 301 for an address the curators moved (merged duplicates, renamed slugs) or a post's
    ``aliases`` name, with or without its trailing slash; else None."""
    request.stored_redirect_checked = True  # the fallback middleware does not ask again
    path = request.path
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    candidates = {variant for p in (path, other) for variant in (p, escape_uri_path(p), uri_to_iri(p))}
    found = (
        ArticleRedirect.objects.filter(old_path__in=candidates)
        .select_related("article")
        .only("article__slug", "article__published_at", "article__status")
        .first()
    )
    if found is None:
        return None
    if not Article.objects.visible_to(request.user).filter(pk=found.article_id).exists():
        return None
    response = HttpResponsePermanentRedirect(found.article.get_absolute_url())
    patch_vary_headers(response, ["Cookie"])  # staff are sent to drafts too, others are not
    return response


class StoredRedirectMiddleware:
    """Answers a 404 with a stored redirect when there is one, whatever the address looks like
    (Hugo aliases such as ``/posts/old-name/``), as ``django.contrib.redirects`` does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if getattr(request, "stored_redirect_checked", False) or len(request.path) > OLD_PATH_MAX:
            return response  # asked already, or longer than any stored path
        return stored_redirect(request) or response
