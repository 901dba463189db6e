import pytest

from articles.importer.decode import decode_bytes
from articles.importer.post import PostError

SIMPLIFIED = "中共中央军委联合参谋部参谋长李作成星期四应约与美国参谋长联席会议主席米利视频通话。要求停止美台军事勾连。"
TRADITIONAL = (
    "中原地產十大屋苑本周末睇樓量335組，按周上升14.3%，農曆新年後連續3星期睇樓量錄得升幅。陳永傑表示需求不減。"
)


def test_utf8_text_is_returned_as_is():
    assert decode_bytes(SIMPLIFIED.encode("utf-8")) == SIMPLIFIED


def test_utf8_byte_order_mark_is_dropped():
    assert decode_bytes(b"\xef\xbb\xbf---\ntitle: x\n") == "---\ntitle: x\n"


def test_utf16_with_byte_order_mark():
    assert decode_bytes("---\ntitle: 标题\n".encode("utf-16")) == "---\ntitle: 标题\n"


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_gb18030_text(text):
    assert decode_bytes(text.encode("gb18030")) == text


def test_big5_text_is_not_mistaken_for_gb18030():
    # GB18030 accepts these bytes too, as mojibake; the plausible decoding must win.
    assert decode_bytes(TRADITIONAL.encode("big5")) == TRADITIONAL


def test_short_big5_title_with_punctuation():
    text = "---\ntitle: 「經濟」新聞：香港樓市回暖\n---\n"
    assert decode_bytes(text.encode("big5")) == text


def test_gb18030_text_with_accented_latin_letters():
    text = "Café — 咖啡馆里的谈话：“你好”。"
    assert decode_bytes(text.encode("gb18030")) == text


@pytest.mark.parametrize(
    "data",
    [
        "Café crème, à bientôt".encode("latin-1"),
        bytes(range(0x80, 0x100)) * 4,
    ],
    ids=["latin-1", "high bytes"],
)
def test_undecodable_bytes_are_an_error(data):
    with pytest.raises(PostError, match="cannot decode as UTF-8, GB18030 or Big5"):
        decode_bytes(data)


def test_binary_file_is_an_error():
    with pytest.raises(PostError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("gb18030-simplified.md", "简体中文的标题"),
        ("gb18030-traditional.md", "繁體中文的標題"),
        ("big5-traditional.md", "繁體中文的標題"),
        ("utf8-bom.md", "简体中文的标题"),
    ],
)
def test_encoded_fixture_files(name, title):
    from tests.helpers import FIXTURES_DIR

    text = decode_bytes((FIXTURES_DIR / "posts" / "encodings" / name).read_bytes())
    assert text.startswith("---\n")
    assert f"title: {title}\n" in text


def test_latin1_fixture_is_rejected():
    from tests.helpers import FIXTURES_DIR

    with pytest.raises(PostError):
        decode_bytes((FIXTURES_DIR / "posts" / "encodings" / "latin1-undecodable.md").read_bytes())


def test_real_corpus_survives_a_round_trip_through_legacy_encodings(corpus_dir):
    checked = 0
    for path in sorted(corpus_dir.rglob("*.*")):
        if path.name == "README.md":
            continue
        text = path.read_text("utf-8")
        if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            continue
        for encoding in ("gb18030", "big5hkscs"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            assert decode_bytes(data) == text, f"{path.name} in {encoding}"
            checked += 1
    assert checked > 100
