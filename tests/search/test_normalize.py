"""Normalization: the same folding for index, query and highlighting."""

import pytest

from articles.text.normalize import (
    canonical,
    document_tokens,
    normalize,
    normalize_with_offsets,
    segment_tokens,
    segments,
    text_tokens,
)


def test_traditional_becomes_simplified():
    assert normalize("臺灣兩岸關係") == normalize("台湾两岸关系") == "台湾两岸关系"


def test_full_width_and_case_fold():
    assert normalize("ＮＡＴＯ　Straße") == "nato strasse"


def test_decomposed_accents_compose_like_precomposed():
    assert normalize("Cafe\u0301") == normalize("Café")


def test_offsets_map_each_normalized_character_back():
    text, offsets = normalize_with_offsets("Aß臺")
    assert text == "ass台"
    assert offsets == [0, 1, 1, 2]


def test_segments_split_scripts_and_drop_punctuation():
    assert segments(normalize("美國NATO峰會，2020年！hello_world")) == [
        "美国",
        "nato",
        "峰会",
        "2020",
        "年",
        "hello",
        "world",
    ]


def test_canonical_has_single_spaces_and_edges():
    assert canonical("  Hong-Kong，香港  ") == " hong kong 香港 "
    assert canonical("!!!") == ""


def test_document_tokens_are_characters_pairs_and_words():
    assert document_tokens(canonical("台海 NATO")) == ["nato", "台", "台海", "海"]


def test_document_tokens_do_not_pair_across_runs():
    assert "湾海" not in document_tokens(canonical("台湾，海峡"))


def _segment_by_segment(text):
    """The definition ``text_tokens`` must match: each segment's tokens, one segment at a time."""
    return set().union(*(segment_tokens(segment) for segment in text.split()))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "台海 NATO",
        "臺灣，海峽兩岸 2024年 Covid-19 疫情",
        "日本語のテキスト 한국어 문장 𠀀𠀁 ㄅㄆ",
        "a" * 60 + " 中" + " ελληνικά café ß",
        "单",
    ],
)
def test_text_tokens_match_segment_tokens(text):
    assert text_tokens(canonical(text)) == _segment_by_segment(canonical(text))


def test_text_tokens_match_segment_tokens_on_the_real_samples(corpus_dir):
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix in {".md", ".html"}:
            text = canonical(path.read_text(encoding="utf-8", errors="replace"))
            assert text_tokens(text) == _segment_by_segment(text), path.name


def test_offsets_of_a_long_text_with_expanding_characters():
    text = "ab…ﬁ臺x" * 500
    normalized, offsets = normalize_with_offsets(text)
    assert normalized == "ab...fi台x" * 500
    assert len(offsets) == len(normalized)
    assert offsets[:10] == [0, 1, 2, 2, 2, 3, 3, 4, 5, 6]
    assert offsets[-1] == len(text) - 1
