import pytest

from articles.importer.identity import import_key, normalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.zaobao.com/realtime/china/story20220707-1290628", None),
        ("HTTPS://WWW.Zaobao.COM/realtime/", "https://www.zaobao.com/realtime"),
        ("https://example.com:443/a/", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&id=7&UTM_medium=y&fbclid=z", "https://example.com/a?id=7"),
        ("https://example.com/news.php?id=7&page=2", "https://example.com/news.php?id=7&page=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://example.com/Path/Case", "https://example.com/Path/Case"),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == (expected or url)


@pytest.mark.parametrize("url", ["", "not a url", "mailto:x@example.com", "ftp://example.com/a", "https://", "//x"])
def test_non_web_urls_normalize_to_nothing(url):
    assert normalize_url(url) == ""


def test_bad_port_is_not_a_url():
    assert normalize_url("https://example.com:99999/a") == ""


def test_key_is_the_normalized_url_when_there_is_one():
    assert import_key("https://Example.com/a/?utm_campaign=x", "_posts/a.md") == "https://example.com/a"


def test_key_falls_back_to_the_relative_path():
    assert import_key("", "_posts/2020-01-01-a.md") == "_posts/2020-01-01-a.md"
    assert import_key("javascript:alert(1)", "/b.md") == "b.md"


def test_key_fits_its_column():
    assert len(import_key("https://example.com/" + "a" * 2000, "x.md")) == 1000
