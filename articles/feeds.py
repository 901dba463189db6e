"""RSS and Atom feeds for the whole archive and for each tag and category."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from .context_processors import site_name
from .models import Article, Category, CategoryAlias, TagAlias
from .views.queries import CARD_FIELDS, find_by_slug, newest_first, tags_prefetch

FEED_ITEMS = 30


class LatestRssFeed(Feed):
    description_template = None

    def title(self, obj=None):
        return site_name()

    def link(self, obj=None):
        return reverse("articles:list")

    def description(self, obj=None):
        return _("The newest articles in the archive.")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        rows = self.articles(obj).only(*CARD_FIELDS).prefetch_related(tags_prefetch())
        return newest_first(rows)[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [link.tag.name for link in item.tag_links]


class LatestAtomFeed(LatestRssFeed):
    feed_type = Atom1Feed
    subtitle = LatestRssFeed.description


class TagRssFeed(LatestRssFeed):
    def get_object(self, request, slug):
        return find_by_slug(Tag, TagAlias, "tag", slug)[0]

    def title(self, obj=None):
        return _("%(site)s: tagged “%(tag)s”") % {"site": site_name(), "tag": obj.name}

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return _("The newest articles tagged “%(tag)s”.") % {"tag": obj.name}

    def articles(self, obj):
        return Article.objects.published().filter(tagged_items__tag=obj)


class TagAtomFeed(TagRssFeed):
    feed_type = Atom1Feed
    subtitle = TagRssFeed.description


class CategoryRssFeed(LatestRssFeed):
    def get_object(self, request, slug):
        return find_by_slug(Category, CategoryAlias, "category", slug)[0]

    def title(self, obj=None):
        return _("%(site)s: %(category)s") % {"site": site_name(), "category": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return _("The newest articles in “%(category)s”.") % {"category": obj.name}

    def articles(self, obj):
        return Article.objects.published().filter(categories=obj)


class CategoryAtomFeed(CategoryRssFeed):
    feed_type = Atom1Feed
    subtitle = CategoryRssFeed.description
