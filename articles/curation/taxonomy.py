"""Merging and renaming tags and categories without breaking old URLs or future imports.

A merged (or renamed) name becomes an alias of the kept tag or category: the importer maps the
alias to it, and the public site redirects the alias's old slug to the kept tag's or category's page.
Both kinds follow the same rules (``kind`` is ``taxonomy.TAGS`` or ``taxonomy.CATEGORIES``).
"""

from articles.core.batches import BATCH_SIZE
from articles.counts.keeping import kept
from articles.facets.version import bumped_once
from articles.search import update_index

from .history import record_relation_change


def free_live_name(kind, item):
    """The name and slug ``item`` now has are its own: no alias may take them over.

    Aliases of other items with that name are deleted (imports of the name reach ``item`` itself);
    any alias with that slug is deleted (the page is ``item``'s). An alias of ``item`` that holds
    its name stays: it keeps an older slug of ``item`` redirecting.
    """
    aliases = kind.alias_model.objects
    aliases.filter(name=item.name).exclude(**{kind.field: item}).delete()
    aliases.filter(slug=item.slug).delete()


def remember_name(kind, item, old_name, old_slug):
    """After a rename, keep the old name and slug as an alias of ``item`` so old links still work."""
    if old_name == item.name and old_slug == item.slug:
        return None
    free_live_name(kind, item)
    slug = old_slug if old_slug != item.slug else ""
    alias, _ = kind.alias_model.objects.update_or_create(name=old_name, defaults={kind.field: item, "slug": slug})
    return alias


def merge(kind, keep, others, *, user=None):
    """Move every article of ``others`` to ``keep`` and delete them; returns the number of articles changed."""
    others = [item for item in others if item.pk != keep.pk]
    if not others:
        return 0
    other_ids = [item.pk for item in others]
    article_id = f"{kind.article_field}_id"
    with bumped_once():  # each deletion would count a write: one is enough
        links = kind.links.objects.filter(**{f"{kind.field}_id__in": other_ids})
        changed = sorted(set(links.values_list(article_id, flat=True)))
        linked = kind.links.objects.filter(**{kind.field: keep, f"{article_id}__in": changed})
        already = set(linked.values_list(article_id, flat=True))
        # The counts follow the links; the merged items' own counts go with them (signals.label_deleted).
        with kept(changed):
            kind.links.objects.bulk_create(
                [kind.links(**{kind.field: keep, article_id: pk}) for pk in changed if pk not in already],
                batch_size=BATCH_SIZE,
                ignore_conflicts=True,
            )
            links.delete()
        kind.alias_model.objects.filter(**{f"{kind.field}_id__in": other_ids}).update(**{kind.field: keep})
        free_live_name(kind, keep)
        for item in others:
            kind.alias_model.objects.update_or_create(name=item.name, defaults={kind.field: keep, "slug": item.slug})
        kind.model.objects.filter(pk__in=other_ids).delete()
        names = ", ".join(item.name for item in others)
        record_relation_change(changed, user=user, reason=f"{kind.plural} merged: {names} → {keep.name}")
        update_index(changed)
    return len(changed)
