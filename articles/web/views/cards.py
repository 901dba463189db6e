"""The list pages' article cards: rendered once per article version and language, then cached."""

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.assets.display import CARD_SIZES, CARD_WIDTH, attach_lead_images
from articles.core.cache import CARD_SECONDS, cache_key
from articles.reading.choice import active
from articles.web.links import article_link, link


def card_key(article, pinned):
    """One card's key: article id and version, its tags, language, reading script, time zone, pin and lead image.

    Every edit moves ``updated_at`` (admin saves, bulk actions, tag changes, re-imports);
    tag names and slugs are in the key too, so renaming a tag re-renders its cards, and so is
    the archived lead image's version, so a card shows the local copy once it is fetched.
    """
    return cache_key(
        "card",
        get_language(),
        active().code,
        timezone.get_current_timezone_name(),
        pinned,
        article.pk,
        article.updated_at.isoformat(),
        article.card_tags,
        article.lead_image.version if article.lead_image else "",
    )


def render_cards(articles, *, pinned=False):
    """Each article's card as safe HTML, in order: one cache read for the page, renders only for misses.

    One query finds the page's archived lead images (none when no card has a lead image).
    """
    attach_lead_images(articles)
    keys = [card_key(article, pinned) for article in articles]
    cards = cache.get_many(keys)
    missing = [(key, article) for key, article in zip(keys, articles, strict=True) if key not in cards]
    if missing:
        template = get_template("includes/article_card.html")
        urls = {}
        fresh = {key: template.render(card_context(article, pinned, urls)) for key, article in missing}
        cache.set_many(fresh, CARD_SECONDS)
        cards.update(fresh)
    return [mark_safe(cards[key]) for key in keys]  # noqa: S308 (rendered by the autoescaping card template)


def card_context(article, pinned, urls):
    """The card template's values, with the tag and author links reversed once per page, not per card.

    A value that has no URL (an empty slug stored by hand) is shown unlinked.
    """

    def url(name, value):
        if (name, value) not in urls:
            urls[name, value] = link(name, value)
        return urls[name, value]

    return {
        "article": article,
        "script": active(),
        "url": article_link(article),
        "author_url": url("articles:author", article.author) if article.author else "",
        "tags": [(url("articles:tag", tag.slug), tag.name) for tag in article.card_tags],
        "is_pinned": pinned,
        "thumb": article.lead_image,
        "thumb_src": article.lead_image.src(CARD_WIDTH) if article.lead_image else "",
        "thumb_sizes": CARD_SIZES,
    }
