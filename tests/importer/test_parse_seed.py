import re
from datetime import UTC, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from articles.importer.decode import decode_bytes
from articles.importer.parse import parse_post

SEED = "000_5d55ed8ea138fb0a.txt"
TITLE = "李作成与美参谋长联席会主席通话：要求停止美台军事勾连"


@pytest.fixture
def seed_text(seeds_dir):
    return decode_bytes((seeds_dir / SEED).read_bytes())


@pytest.fixture
def seed(seed_text):
    return parse_post(seed_text, SEED, tz=ZoneInfo("Asia/Singapore"))


def test_metadata(seed):
    assert seed.title == TITLE
    assert seed.published_at == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)
    assert seed.original_url == "https://www.zaobao.com/realtime/china/story20220707-1290628"
    assert seed.tags == ["联合早报"]
    assert seed.categories == ["联合早报"]
    assert seed.author == "联合早报"
    assert seed.status == "published"
    assert seed.front_matter["comments"] is True
    assert seed.front_matter["date"] == "2022-07-07T15:04:00.000Z"
    assert seed.warnings == []


def test_lead_image_is_the_top_figure(seed):
    assert seed.lead_image_url == (
        "https://static.zaobao.com/s3fs-public/styles/article_large_full/public/2022-07/"
        "lizuochengyumilishipintonghua.jpg?VersionId=VywFAABKtT0lMa.29TP.whoetmYsJR2S&itok=ZSMslN0F"
    )
    assert seed.lead_image_caption.startswith("中共中央军委联合参谋部参谋长李作成（左）7月7日")
    assert seed.lead_image_caption.endswith("（取自中国国防部官网）")
    # Shown once, as the lead image: not again at the top of the body.
    assert "<figure" not in seed.body_html
    assert "lizuochengyumilishipintonghua" not in seed.body_html


def test_every_paragraph_of_the_source_is_in_the_body(seed, seed_text):
    paragraphs = [unescape(p) for p in re.findall(r"<p>(.*?)</p>", seed_text)]
    assert len(paragraphs) == 9
    for paragraph in paragraphs:
        assert f"<p>{paragraph}</p>" in seed.body_html
        assert paragraph in seed.body_text
    assert seed.body_html.count("<p>") == 9


def test_no_placeholders_title_link_or_epoch_comment(seed):
    for unwanted in ("dfp-ad", "innity", "imu", "paywall", "sph_cdp", "data-src", "1657206240000", "<!--", "<h"):
        assert unwanted not in seed.body_html
    assert TITLE not in seed.body_html
    assert TITLE not in seed.body_text


def test_excerpt_and_reading_time(seed):
    assert seed.excerpt.startswith("中共中央军委联合参谋部参谋长李作成星期四（7月7日）")
    assert len(seed.excerpt) <= 150
    assert seed.reading_time == 2


def test_slugs(seed):
    assert seed.slug == "李作成与美参谋长联席会主席通话要求停止美台军事勾连"
    assert seed.legacy_slug == "000_5d55ed8ea138fb0a"
