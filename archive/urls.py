from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control

from articles.core.cache import index_seconds
from articles.web import media, sitemaps
from articles.web.caching import cache_public_page
from articles.web.params import SITEMAP_PAGE
from articles.web.views import meta


def sitemap_cache(view):
    """Crawlers ask often and a sitemap is costly to build: kept (and marked for crawlers to keep) as
    long as the tag and date indexes, once per page number, whatever else the query holds."""
    seconds = index_seconds()
    return cache_control(max_age=seconds)(cache_public_page(SITEMAP_PAGE, timeout=seconds)(view))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", meta.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_cache(sitemaps.index), name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_cache(sitemaps.section), name="sitemap-section"),
    path("", include("articles.web.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # The archived images; with MEDIA_URL on a CDN or a bucket (an absolute URL) they are served from there.
    urlpatterns.insert(0, path(settings.MEDIA_URL.lstrip("/") + "<path:name>", media.serve, name="media"))

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("_bench/ping", meta.ping))
