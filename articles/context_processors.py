"""Values every public page needs: the site's name and the search box's current query."""

from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "search_query": request.GET.get("q", "")}
