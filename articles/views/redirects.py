"""Permanent redirects that keep old links working: Jekyll URLs and moved articles."""

from datetime import date, timedelta

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path, uri_to_iri
from django.views.decorators.http import require_safe

from ..models import Article, ArticleRedirect

# Jekyll builds the date part of a URL in its own configured time zone, which may
# differ from ours by up to a day either way.
LEGACY_DATE_SLACK = timedelta(days=1)


def stored_redirect(request):
    """A 301 for an address the curators moved (merged duplicates, renamed slugs), else None."""
    path = request.path
    candidates = {path, escape_uri_path(path), uri_to_iri(path)}
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
    return HttpResponsePermanentRedirect(found.article.get_absolute_url())


@require_safe
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
