"""sitemap.xml: every public article (paged by the sitemap index) and the site's fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article

from .pagination import CachedCountPaginator
from .queries import newest_first


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return newest_first(Article.objects.published().only("slug", "published_at", "updated_at"))

    def lastmod(self, article):
        return article.updated_at

    @property
    def paginator(self):
        return CachedCountPaginator(self._items(), self.limit, cache_key="sitemap")


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:list", "articles:tags", "articles:archive"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}
