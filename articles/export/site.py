"""The files that make an export a Jekyll site of its own: ``_config.yml`` and a plain layout.

No theme, plugin or Gemfile: Debian's ``jekyll`` builds it offline with its packaged gems. Each
post names its own permalink (the archive's URL), since Jekyll's slugify would turn ``_`` and
characters such as ``〇`` into ``-``; the permalink below is the same pattern, for new posts.
"""

import yaml
from django.conf import settings

from articles.core.site import site_name

FOLDERS = ("_posts", "_drafts", "_layouts")
LAYOUT = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>{{ page.title | escape }} · {{ site.title | escape }}</title></head>
<body>
<article>
<h1>{{ page.title | escape }}</h1>
<p><time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: "%Y-%m-%d %H:%M" }}</time>
{% if page.author %} · {{ page.author | escape }}{% endif %}
{% if page.from %} · <a href="{{ page.from | escape }}">{{ page.from | escape }}</a>{% endif %}</p>
{{ content }}
</article>
</body>
</html>
"""


def site_files():
    """``{relative path: text}`` of the site's own files."""
    config = {
        "title": site_name(),
        "timezone": settings.TIME_ZONE,
        "permalink": "/:year/:month/:day/:title/",
        # Bodies are sanitized HTML, never templates: Liquid must not read "{{" in an article.
        "defaults": [{"scope": {"path": ""}, "values": {"layout": "post", "render_with_liquid": False}}],
    }
    header = "# Build with `jekyll build` (Debian's package; nothing to download).\n"
    return {
        "_config.yml": header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        "_layouts/post.html": LAYOUT,
    }
