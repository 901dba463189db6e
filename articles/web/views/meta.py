"""Small machine-facing views: robots.txt and the benchmark's baseline."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def ping(request):
    """The framework's ceiling for bench/site_bench.py; routed only when settings.BENCH_VIEWS is on."""
    return HttpResponse("pong", content_type="text/plain")
