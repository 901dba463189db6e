"""Stored redirects that imports wrote from posts' ``aliases`` before aliases were checked, and that
name an address an alias may not take (see ``articles.routes``), are dropped:

- one of the site's pages or files (``/``, ``/search/``, ``/api/articles/``, ``/media/…``): the
  lookup ignores these now anyway, but an export would write them out as aliases again;
- the address of an article that is not hidden: that article would lose its address to the
  alias's post the day it is hidden. A redirect naming a hidden article's address stays: merging
  duplicates makes exactly that (the duplicate hidden, its address leading to the article kept),
  and the two cannot be told apart.

The routes are read from the URLconf as it is when this runs (it runs once); the rest is frozen here.
"""

from datetime import date, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.urls import Resolver404, resolve

ARTICLE_PAGE, OLD_JEKYLL_URL = "articles:detail", "articles:legacy-post"
LEGACY_DATE_SLACK = timedelta(days=1)


def route(path):
    """(name, kwargs) of the route ``path`` or its trailing-slash twin names, else None."""
    path = unquote(path)
    for setting in ("STATIC_URL", "MEDIA_URL"):
        prefix = getattr(settings, setting)
        if prefix.startswith("/") and (path + "/").startswith(prefix):
            return setting, {}
    for candidate in (path, path.rstrip("/") if path.endswith("/") else path + "/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        return match.view_name, match.kwargs
    return None


def holders(articles, name, kwargs):
    """The articles (any status) whose address the route is: by slug, or by Jekyll slug and date."""
    if name == ARTICLE_PAGE:
        return list(articles.filter(slug=kwargs["slug"]).only("status"))
    try:
        day = date(int(kwargs["year"]), int(kwargs["month"]), int(kwargs["day"]))
    except ValueError:
        return []
    zone = ZoneInfo(settings.TIME_ZONE)
    candidates = articles.filter(legacy_slug=kwargs["slug"]).only("status", "published_at")
    return [a for a in candidates if abs(a.published_at.astimezone(zone).date() - day) <= LEGACY_DATE_SLACK]


def drop_claiming_aliases(apps, schema_editor):
    ArticleRedirect = apps.get_model("articles", "ArticleRedirect")
    using = schema_editor.connection.alias
    articles = apps.get_model("articles", "Article").objects.using(using)
    redirects = ArticleRedirect.objects.using(using)
    doomed = []
    for pk, old_path, article_id in redirects.values_list("pk", "old_path", "article_id").iterator():
        found = route(old_path)
        if found is None:
            continue
        name, kwargs = found
        if name not in (ARTICLE_PAGE, OLD_JEKYLL_URL) or any(
            a.pk != article_id and a.status != "hidden" for a in holders(articles, name, kwargs)
        ):
            doomed.append(pk)
    for start in range(0, len(doomed), 500):
        redirects.filter(pk__in=doomed[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_search_token_ids")]

    operations = [migrations.RunPython(drop_claiming_aliases, migrations.RunPython.noop, elidable=True)]
