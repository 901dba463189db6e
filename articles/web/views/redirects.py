"""Old Jekyll URLs (/YYYY/MM/DD/<slug>.html) redirected permanently to the articles' pages."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from articles.models import Article
from articles.models.routes import legacy_day, near
from articles.web.redirects import stored_redirect


@require_safe
@vary_on_cookie  # staff are sent to drafts too, others are not
def legacy_post(request, year, month, day, slug, prefix=None):
    """/YYYY/MM/DD/<slug>.html, optionally with Jekyll's category folders in front."""
    day_in_url = legacy_day(request.resolver_match.kwargs)
    if day_in_url is None:
        raise Http404("No such date.")
    matches = Article.objects.visible_to(request.user).filter(legacy_slug=slug).only("slug", "published_at")
    best = next(iter(near(matches, day_in_url)), None)
    if best is None:
        return stored_redirect(request) or _missing()
    return HttpResponsePermanentRedirect(best.get_absolute_url())


def _missing():
    raise Http404("This old address matches no article.")
