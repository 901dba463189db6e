from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page

from articles.sitemaps import SITEMAPS
from articles.views import meta

# Crawlers ask often and a sitemap is costly to build: kept as long as the tag and date indexes.
sitemap_cache = cache_page(settings.ARCHIVE_INDEX_CACHE_SECONDS)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", meta.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("_bench/ping", meta.ping))
