"""RSS and Atom feeds for the whole archive and for each tag and category.

Every text is plain text, and feed readers must show it as written, never run it:

- RSS readers disagree about which elements hold HTML (a description always does, titles often
  are read as HTML too), so every RSS text is HTML-escaped, as Django does for titles (#6533).
- Atom says it: titles, names and categories are text constructs, so XML escaping is enough;
  the summary is ``type="html"`` and is HTML-escaped.
- Titles, excerpts, authors, tags and categories are in the reader's script (``reading``), and
  the feed's language says which script when it is converted.
- Characters XML 1.0 cannot carry (most control characters) are dropped: one of them in an
  excerpt stopped the whole feed.
"""

import re

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.core.site import site_name
from articles.counts.keeping import CATEGORY, TAG
from articles.models import CATEGORIES, TAGS, Article, TaggedArticle
from articles.reading.choice import active
from articles.reading.convert import convert_text

from .queries import CARD_FIELDS, in_set, newest_first, tags_prefetch
from .seek import list_size

FEED_ITEMS = 30
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """``text`` without the characters XML 1.0 cannot hold."""
    return NOT_IN_XML.sub("", str(text))


def html_text(text):
    """Plain ``text`` for an element that readers render as HTML."""
    return escape(xml_text(text))


class LatestRssFeed(Feed):
    description_template = None
    text = staticmethod(html_text)  # how plain text goes into this format's text elements

    @property
    def language(self):
        """The articles' script when they are converted, else the interface language."""
        script = active()
        return script.lang if script.opencc else get_language()

    def title(self, obj=None):
        return self.text(site_name())

    def link(self, obj=None):
        return reverse("articles:list")

    def description(self, obj=None):
        return self.text(_("The newest articles in the archive."))

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        rows = self.articles(obj).only(*CARD_FIELDS).prefetch_related(tags_prefetch())
        return newest_first(rows)[:FEED_ITEMS]

    def item_title(self, item):
        return self.text(convert_text(item.title))

    def item_description(self, item):
        return html_text(convert_text(item.excerpt))  # an RSS description and an Atom summary are HTML

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
        return self.text(convert_text(item.author)) or None

    def item_categories(self, item):
        return [self.text(convert_text(link.tag.name)) for link in item.tag_links]


class AtomFormat:
    """Atom's text constructs are text: XML escaping is all they need."""

    feed_type = Atom1Feed
    text = staticmethod(xml_text)

    def subtitle(self, obj=None):
        return self.description(obj)


class LatestAtomFeed(AtomFormat, LatestRssFeed):
    pass


class TagRssFeed(LatestRssFeed):
    def get_object(self, request, slug):
        return TAGS.find_by_slug(slug)[0]

    def title(self, obj=None):
        return self.text(_("%(site)s: tagged “%(tag)s”") % {"site": site_name(), "tag": convert_text(obj.name)})

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return self.text(_("The newest articles tagged “%(tag)s”.") % {"tag": convert_text(obj.name)})

    def articles(self, obj):
        links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=obj)
        narrow = in_set(links, list_size(TAG, obj.pk), {"tagged_items__tag": obj})
        return narrow(Article.objects.published())


class TagAtomFeed(AtomFormat, TagRssFeed):
    pass


class CategoryRssFeed(LatestRssFeed):
    def get_object(self, request, slug):
        return CATEGORIES.find_by_slug(slug)[0]

    def title(self, obj=None):
        return self.text(_("%(site)s: %(category)s") % {"site": site_name(), "category": convert_text(obj.name)})

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return self.text(_("The newest articles in “%(category)s”.") % {"category": convert_text(obj.name)})

    def articles(self, obj):
        links = Article.categories.through.objects.filter(article=OuterRef("pk"), category=obj)
        narrow = in_set(links, list_size(CATEGORY, obj.pk), {"categories": obj})
        return narrow(Article.objects.published())


class CategoryAtomFeed(AtomFormat, CategoryRssFeed):
    pass
