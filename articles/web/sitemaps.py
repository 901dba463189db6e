"""sitemap.xml: every public article (paged by the sitemap index) and the site's fixed pages.

The XML is Django's sitemap templates' (``django.contrib.sitemaps``), written directly: a page of
5,000 URLs through the template and ``reverse()`` cost about 0.13 ms of CPU per URL. An article's
path is built here the way ``reverse()`` builds it (each slug through the same converter and the
same percent-quoting; a test holds them equal), and every value is escaped as the templates'
autoescaping does. Pages are read from the archive's year counts (``seek``), so the index counts
no rows and the last page skips none.
"""

from urllib.parse import quote

from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date

from articles.models import Article

from .converters import Segment
from .params import parse_page_number
from .seek import YearSeekPaginator, published_years

ARTICLES_PER_FILE = 5000
FIXED_PAGES = ("articles:list", "articles:tags", "articles:archive")
SECTIONS = ("articles", "pages")
# What reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and "/~:@").
PATH_SAFE = "!$&'()*+,;=/~:@"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
INDEX = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
SEGMENT = Segment()


def article_pages():
    """The paginator of the articles' section: (slug, published_at, updated_at), newest first."""
    fields = ("slug", "published_at", "updated_at")
    return YearSeekPaginator(lambda articles: articles, published_years(), ARTICLES_PER_FILE, fields=fields)


def article_path(home, slug, published_at):
    """``Article.get_absolute_url()``, without ``reverse()``: ``home`` is the site's root path.
    None for an empty slug, which has no URL."""
    try:
        segment = quote(SEGMENT.to_url(slug), safe=PATH_SAFE)
    except ValueError:
        return None
    local = timezone.localtime(published_at)
    return f"{home}{local.year:04d}/{local.month:02d}/{local.day:02d}/{segment}/"


def url_element(location, lastmod=None, changefreq=None):
    parts = [f"<url><loc>{escape(location)}</loc>"]
    if lastmod is not None:
        parts.append(f"<lastmod>{timezone.localtime(lastmod).date().isoformat()}</lastmod>")
    if changefreq:
        parts.append(f"<changefreq>{changefreq}</changefreq>")
    parts.append("</url>")
    return "".join(parts)


def xml_response(body, lastmod=None):
    response = HttpResponse(body, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views
    if lastmod is not None:
        response.headers["Last-Modified"] = http_date(lastmod.timestamp())
    return response


def section(request, section):
    """One file of a section: ``?p=N`` of the articles (404 past the end), or the fixed pages."""
    if section not in SECTIONS:
        raise Http404(f"No sitemap available for section: {section!r}")
    number = parse_page_number(request.GET.get("p"))
    if number is None:
        raise Http404(f"No page '{request.GET.get('p')}'")
    root = f"{request.scheme}://{request.get_host()}"
    if section == "pages":
        if number != 1:
            raise Http404(f"Page {number} empty")
        urls = [url_element(root + reverse(name), changefreq="daily") for name in FIXED_PAGES]
        return xml_response(f"{HEAD}{URLSET}\n{''.join(urls)}\n</urlset>\n")
    try:
        rows = article_pages().page(number).object_list
    except InvalidPage as exc:
        raise Http404(f"Page {number} empty") from exc
    home, urls = reverse("articles:list"), []
    for slug, published_at, updated_at in rows:
        path = article_path(home, slug, published_at)
        if path is not None:
            urls.append(url_element(root + path, updated_at))
    latest = max((updated_at for _slug, _published, updated_at in rows), default=None)
    return xml_response(f"{HEAD}{URLSET}\n{''.join(urls)}\n</urlset>\n", latest)


def index(request):
    """Every file of every section; the articles' with the latest change of any public article."""
    root = f"{request.scheme}://{request.get_host()}"
    articles = root + reverse("sitemap-section", kwargs={"section": "articles"})
    latest = Article.objects.published().order_by("-updated_at").values_list("updated_at", flat=True).first()
    lastmod = f"<lastmod>{timezone.localtime(latest).isoformat()}</lastmod>" if latest else ""
    files = [f"<sitemap><loc>{escape(articles)}</loc>{lastmod}</sitemap>"]
    files += [
        f"<sitemap><loc>{escape(f'{articles}?p={number}')}</loc>{lastmod}</sitemap>"
        for number in range(2, article_pages().num_pages + 1)
    ]
    pages = root + reverse("sitemap-section", kwargs={"section": "pages"})
    files.append(f"<sitemap><loc>{escape(pages)}</loc></sitemap>")
    return xml_response(f"{HEAD}{INDEX}\n{''.join(files)}\n</sitemapindex>\n")
