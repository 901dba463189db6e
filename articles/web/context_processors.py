"""Values every public page needs: the site's name, the search box's query, the page's address, the script."""

from articles.core.site import site_name
from articles.reading import choice as reading


def here(request):
    """Where the switches return to: the path, with the query only when the view declared it (``params``).

    Pages without declared parameters (a 404, the search limit's refusal, which is cached per
    path) return to their path alone, so no reader's query string is ever kept in a shared page.
    """
    if getattr(request, "query_params", None) and request.GET:
        return f"{request.path}?{request.GET.urlencode()}"
    return request.path


def site(request):
    return {
        "SITE_NAME": site_name(),
        "search_query": request.GET.get("q", ""),
        "here": here(request),
        "script": reading.active(),  # converted text says its language: lang="{{ script.lang }}"
        "script_choice": reading.choice_from_request(request),
        "script_choices": reading.CHOICES.values(),
    }
