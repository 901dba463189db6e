"""An article's body headings fit under its title on the page, whatever levels the post used."""

import pytest

from articles.models import Article
from articles.web.views.outline import fit_headings
from tests.factories import make_article


@pytest.mark.parametrize(
    ("body", "fitted"),
    [
        ("<p>无标题</p>", "<p>无标题</p>"),
        ("<h2>一</h2><h3>二</h3><h2>三</h2>", "<h2>一</h2><h3>二</h3><h2>三</h2>"),
        ("<h3>一</h3><p>x</p><h4>二</h4><h3>三</h3>", "<h2>一</h2><p>x</p><h3>二</h3><h2>三</h2>"),
        ("<h2>一</h2><h4>二</h4><h6>三</h6>", "<h2>一</h2><h3>二</h3><h4>三</h4>"),
        ("<h4>先</h4><h2>一</h2><h3>二</h3>", "<h2>先</h2><h2>一</h2><h3>二</h3>"),  # never below the one before + 1
        ('<h3 id="a" class="b">一</h3>', '<h2 id="a" class="b">一</h2>'),
        ('<p title="<h3>">文</p><h4>一</h4>', '<p title="<h3>">文</p><h2>一</h2>'),  # attributes untouched
        ("<h3>1 &lt;h4&gt; 2</h3>", "<h2>1 &lt;h4&gt; 2</h2>"),  # text untouched
    ],
)
def test_headings_fit_under_the_title(body, fitted):
    assert fit_headings(body) == fitted


@pytest.mark.django_db
def test_the_article_page_fits_them_and_the_stored_body_stays(client):
    body = "<h3>背景</h3><p>正文</p><h4>细节</h4>"
    article = make_article("标题", body_html=body)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>背景</h2><p>正文</p><h3>细节</h3>" in html and "<h3>背景</h3>" not in html
    assert Article.objects.get(pk=article.pk).body_html == body
