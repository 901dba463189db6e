"""Normalization: the same folding for index, query and highlighting."""

from articles.search.normalize import canonical, document_tokens, normalize, normalize_with_offsets, segments


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
