"""Values every public page needs: the site's name and the search box's current query."""

from .site import site_name


def site(request):
    return {"SITE_NAME": site_name(), "search_query": request.GET.get("q", "")}
