"""An article's tags, categories and aliases, written in bulk: the names each should have, in a few queries."""

import secrets

from articles.models import CATEGORIES, TAGS, ArticleRedirect
from articles.models.routes import held_addresses
from articles.models.rows import insert_values


def write_links(through, owner_field, target_field, ensure, wanted, links):
    """Make each article's links (tags or categories) exactly ``names``: bulk deletes and inserts."""
    wanted = list(wanted)
    if not wanted:
        return
    ids = ensure(set().union(*(names for _, names in wanted)))
    new_rows, stale = [], []
    for article, names in wanted:
        current = {name: link_id for link_id, name in links.get(article.pk, ())}
        new_rows += [(article.pk, ids[name]) for name in sorted(names - current.keys())]
        stale += [link_id for name, link_id in current.items() if name not in names]
    if stale:
        through.objects.filter(pk__in=stale).delete()
    insert_values(through, [owner_field, target_field], new_rows, ignore_conflicts=True)


def current_links(queryset, owner_field, name_field):
    """{article id: [(link id, name)]} in one query."""
    links = {}
    for link_id, owner, name in queryset.values_list("pk", owner_field, name_field):
        links.setdefault(owner, []).append((link_id, name))
    return links


def _ensure_named(kind, names):
    """{name: id} for ``names``, tags or categories (``kind``), creating the missing rows in bulk with unique slugs."""
    if not names:
        return {}
    model = kind.model
    ids = dict(model.objects.filter(name__in=names).values_list("name", "pk"))
    missing = sorted(names - ids.keys())
    if missing:
        slug_length = model._meta.get_field("slug").max_length
        bases = {name: kind.slugify(name)[: slug_length - 8] for name in missing}
        taken = set(model.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True))
        rows = []
        for name in missing:
            slug = kind.free_slug(bases[name], taken)
            taken.add(slug)
            rows.append(model(name=name, slug=slug))
        model.objects.bulk_create(rows, ignore_conflicts=True)
        ids.update(model.objects.filter(name__in=missing).values_list("name", "pk"))
        for name in names - ids.keys():  # another import took the slug meanwhile
            slug = f"{bases[name]}{kind.separator}{secrets.token_hex(3)}"
            ids[name] = model.objects.get_or_create(name=name, defaults={"slug": slug})[0].pk
    return ids


def ensure_tags(names):
    return _ensure_named(TAGS, names)


def ensure_categories(names):
    return _ensure_named(CATEGORIES, names)


def write_aliases(pairs, now):
    """Redirect each of an article's old paths (Hugo's ``aliases``) to it: ``pairs`` of (article id,
    paths). A path that already redirects (to this article or another) is left as it is; one that
    is another article's address, whatever its status (this batch's new articles included), is
    refused; one that is the article's own leads there already. Returns {article id: [why an alias
    was refused]}."""
    held = held_addresses({path for _, paths in pairs for path in paths})
    rows, refused = [], {}
    for article_id, paths in pairs:
        for path in paths:
            if path not in held:
                rows.append((path, article_id, now))
            elif held[path] != article_id:
                note = f"alias {path[:60]!r} ignored: the address of article #{held[path]}"
                refused.setdefault(article_id, []).append(note)
    insert_values(ArticleRedirect, ["old_path", "article_id", "created_at"], rows, ignore_conflicts=True)
    return refused
