from django.urls import path, re_path, register_converter

from . import api, feeds
from .converters import FourDigits, Segment, Text, TwoDigits
from .views import archive, detail, hooks, listing, preferences, redirects, search, taxonomy

register_converter(FourDigits, "yyyy")
register_converter(TwoDigits, "mm")
register_converter(Segment, "segment")
register_converter(Text, "text")

app_name = "articles"

urlpatterns = [
    path("", listing.home, name="list"),
    path("<yyyy:year>/<mm:month>/<mm:day>/<segment:slug>/", detail.article_detail, name="detail"),
    re_path(
        r"^(?:(?P<prefix>.+)/)?(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[^/]+)\.html$",
        redirects.legacy_post,
        name="legacy-post",
    ),
    path("tags/", taxonomy.tag_index, name="tags"),
    path("tag/<segment:slug>/", taxonomy.tag_detail, name="tag"),
    path("tag/<segment:slug>/feed/rss/", feeds.TagRssFeed(), name="tag-rss"),
    path("tag/<segment:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("category/<segment:slug>/", taxonomy.category_detail, name="category"),
    path("category/<segment:slug>/feed/rss/", feeds.CategoryRssFeed(), name="category-rss"),
    path("category/<segment:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category-atom"),
    path("author/<text:name>/", taxonomy.author_detail, name="author"),
    path("archive/", archive.archive_index, name="archive"),
    path("archive/<yyyy:year>/", archive.archive_year, name="archive-year"),
    path("archive/<yyyy:year>/<mm:month>/", archive.archive_month, name="archive-month"),
    path("search/", search.search, name="search"),
    path("feed/rss/", feeds.LatestRssFeed(), name="rss"),
    path("feed/atom/", feeds.LatestAtomFeed(), name="atom"),
    path("api/articles/", api.article_list, name="api-list"),
    path("api/articles/<int:pk>/", api.article_detail, name="api-detail"),
    path("language/", preferences.set_language, name="set-language"),
    path("script/", preferences.set_script, name="set-script"),
    path("hooks/sources/<slug:name>/", hooks.source_push, name="source-hook"),
]
