"""Permanent redirects that keep old links working: Jekyll URLs and moved articles."""

from datetime import date, timedelta

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path, uri_to_iri
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from ..models import Article, ArticleRedirect

# Jekyll builds the date part of a URL in its own configured time zone, which may
# differ from ours by up to a day either way.
LEGACY_DATE_SLACK = timedelta(days=1)
OLD_PATH_MAX = ArticleRedirect._meta.get_field("old_path").max_length


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


@require_safe
@vary_on_cookie  # staff are sent to drafts too, others are not
def legacy_post(request, year, month, day, slug, prefix=None):
    """/YYYY/MM/DD/<slug>.html, optionally with Jekyll's category folders in front."""
    try:
        day_in_url = date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Http404("No such date.") from exc
    matches = Article.objects.visible_to(request.user).filter(legacy_slug=slug).only("slug", "published_at")
    best = min(
        (a for a in matches if abs(a.local_published_at.date() - day_in_url) <= LEGACY_DATE_SLACK),
        key=lambda a: abs(a.local_published_at.date() - day_in_url),
        default=None,
    )
    if best is None:
        return stored_redirect(request) or _missing()
    return HttpResponsePermanentRedirect(best.get_absolute_url())


def _missing():
    raise Http404("This old address matches no article.")


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
