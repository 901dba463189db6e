"""Parsing queries into terms: phrases, exclusions and odd input."""

from articles.search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse_query


def segments_of(terms):
    return [term.segments for term in terms]


def test_words_and_phrases():
    parsed = parse_query('台海 "Hong Kong" -选举')
    assert segments_of(parsed.terms) == [("台海",), ("hong", "kong")]
    assert segments_of(parsed.excluded) == [("选举",)]
    assert parsed.terms[1].phrase
    assert parsed.message == ""


def test_chinese_quotes_and_full_width_operators():
    parsed = parse_query("「美台军事」 －選舉")
    assert segments_of(parsed.terms) == [("美台军事",)]
    assert segments_of(parsed.excluded) == [("选举",)]


def test_unclosed_quote_runs_to_the_end():
    assert segments_of(parse_query('"hong kong').terms) == [("hong", "kong")]


def test_duplicates_are_dropped():
    assert len(parse_query("台湾 臺灣 台湾").terms) == 1


def test_patterns_mark_whole_word_edges():
    assert parse_query("nato").terms[0].pattern == " nato "
    assert parse_query("台海").terms[0].pattern == "台海"
    assert parse_query("iPhone手机").terms[0].pattern == " iphone 手机"


def test_tokens_and_exactness():
    one, two, three, word = parse_query("湾 台湾 美台军 nato").terms
    assert (one.tokens, one.exact) == (["湾"], True)
    assert (two.tokens, two.exact) == (["台湾"], True)
    assert (three.tokens, three.exact) == (["台军", "美台"], False)
    assert (word.tokens, word.exact) == (["nato"], True)


def test_empty_query():
    parsed = parse_query("   ")
    assert parsed.terms == []
    assert parsed.message == "Enter a word to search for."


def test_only_operators():
    parsed = parse_query('- "" *** -- ()')
    assert parsed.terms == [] and parsed.excluded == []
    assert "no letters" in parsed.message


def test_only_exclusions():
    parsed = parse_query("-台海")
    assert parsed.terms == []
    assert "only exclude" in parsed.message


def test_long_query_is_cut():
    parsed = parse_query("台" * (MAX_QUERY_LENGTH + 50))
    assert len(parsed.text) == MAX_QUERY_LENGTH
    assert str(MAX_QUERY_LENGTH) in parsed.message


def test_too_many_terms_are_cut():
    parsed = parse_query(" ".join(f"word{n}" for n in range(MAX_TERMS + 5)))
    assert len(parsed.terms) == MAX_TERMS
    assert str(MAX_TERMS) in parsed.message
