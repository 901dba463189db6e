"""Values every public page needs: the site's name and the search box's current query."""

from django.conf import settings
from django.utils.translation import gettext as _


def site_name():
    """The SITE_NAME setting, or "News archive" translated into the current language."""
    return settings.SITE_NAME or _("News archive")


def site(request):
    return {"SITE_NAME": site_name(), "search_query": request.GET.get("q", "")}
