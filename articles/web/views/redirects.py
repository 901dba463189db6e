"""Old Jekyll URLs (/YYYY/MM/DD/<slug>.html) redirected permanently to the articles' pages."""

from datetime import date, timedelta

from django.http import Http404, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from articles.models import Article
from articles.web.redirects import stored_redirect

# Jekyll builds the date part of a URL in its own configured time zone, which may
# differ from ours by up to a day either way.
LEGACY_DATE_SLACK = timedelta(days=1)


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
