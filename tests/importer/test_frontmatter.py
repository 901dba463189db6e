import json

import pytest

from articles.importer.frontmatter import YAML, read_front_matter, write_post
from articles.importer.mappings import OTHER_KEYS
from articles.importer.post import NoFrontMatter, PostError


def load_front_matter(yaml_text):
    return read_front_matter(f"---\n{yaml_text}---\nbody")[0]


def test_split_gives_yaml_and_body():
    yaml_text, body = YAML.split("---\ntitle: Hello\n---\n\nBody text\n")
    assert yaml_text == "title: Hello\n"
    assert body == "\nBody text\n"


def test_split_accepts_crlf_and_dots_closing():
    yaml_text, body = YAML.split("---\r\ntitle: Hello\r\n...\r\nBody")
    assert "title: Hello" in yaml_text
    assert body == "Body"


def test_empty_front_matter_is_an_empty_mapping():
    assert read_front_matter("---\n---\nBody") == ({}, "Body")


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(text):
    with pytest.raises(PostError, match="empty file"):
        read_front_matter(text)


@pytest.mark.parametrize(
    "text", ["# A Markdown file\n", "<p>Just HTML</p>", "title: x\n---\n", " ---\ntitle: x\n---\n"]
)
def test_no_front_matter_is_not_a_failure(text):
    with pytest.raises(NoFrontMatter):
        read_front_matter(text)


def test_unclosed_front_matter():
    with pytest.raises(PostError, match="not closed"):
        read_front_matter("---\ntitle: x\nbody")


def test_dates_stay_exact_text():
    data = load_front_matter(
        "date: 2021-01-31 16:55:44.000000000 +08:00\nupdated: 2020-02-26\nother: 2022-07-07T15:04:00.000Z\n"
    )
    assert data == {
        "date": "2021-01-31 16:55:44.000000000 +08:00",
        "updated": "2020-02-26",
        "other": "2022-07-07T15:04:00.000Z",
    }


def test_every_key_is_kept_and_json_safe():
    data = load_front_matter(
        "title: T\ncomments: True\nposition: right\ncount: 3\nratio: .inf\nnothing: ~\n"
        "1: numeric key\nnested: {a: [1, 2.5, null], b: !!set {x, y}}\nblob: !!binary aGVsbG8=\n"
    )
    assert json.loads(json.dumps(data)) == data
    assert data["comments"] is True
    assert data["position"] == "right"
    assert data["count"] == 3
    assert data["ratio"] == "inf"
    assert data["nothing"] is None
    assert data[OTHER_KEYS] == [[1, "numeric key"]]  # not text: see the next test
    assert data["nested"]["a"] == [1, 2.5, None]
    assert sorted(data["nested"]["b"]) == ["x", "y"]


KEYS_READ_ALIKE = "'1': one\n1: int one\ntrue: booly\nnull: none\n1.5: float\nm: {2: two, '2': text two}\n"


def test_keys_that_read_alike_are_all_kept_and_written_back_as_they_were():
    data = load_front_matter(f"title: T\n{KEYS_READ_ALIKE}{OTHER_KEYS}: text\n")
    assert json.loads(json.dumps(data)) == data
    assert data == {  # text keys as ever; the others as pairs under one key, in their order
        "title": "T",
        "1": "one",
        "m": {"2": "text two", OTHER_KEYS: [[2, "two"]]},
        OTHER_KEYS: [[1, "int one"], [True, "booly"], [None, "none"], [1.5, "float"], [OTHER_KEYS, "text"]],
    }
    written = write_post(data, "body")
    assert written.startswith("---\ntitle: T\n'1': one\nm:\n  '2': text two\n  2: two\n1: int one\ntrue: booly\n")
    assert f"null: none\n1.5: float\n{OTHER_KEYS}: text\n---\n" in written
    assert read_front_matter(written)[0] == data


def test_invalid_yaml_names_the_line_of_the_file():
    # Line 1 of the file is the opening "---"; the unclosed list is noticed on "date".
    with pytest.raises(PostError, match=r"^invalid YAML front matter: line 4: "):
        load_front_matter("title: ok\ntags: [a, b\ndate: 2020-01-01\n")


def test_tab_indentation_is_invalid_yaml():
    with pytest.raises(PostError, match="invalid YAML front matter"):
        load_front_matter("title: x\n\tdate: y\n")


@pytest.mark.parametrize(
    ("yaml_text", "kind"), [("- a\n- b\n", "list"), ("just a string\n", "string"), ("42\n", "number")]
)
def test_front_matter_must_be_a_mapping(yaml_text, kind):
    with pytest.raises(PostError, match=f"front matter is not a mapping \\(it is a {kind}\\)"):
        load_front_matter(yaml_text)


def test_python_objects_are_refused():
    with pytest.raises(PostError, match="invalid YAML"):
        load_front_matter("x: !!python/object/apply:os.system ['echo hacked']\n")


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(PostError, match="too large"):
        load_front_matter(bomb)


def nested(levels, opening="[", closing="]"):
    return opening * (levels - 1) + closing * (levels - 1)  # inside the front matter's own mapping


@pytest.mark.parametrize(
    "make",
    [
        lambda levels: f"---\nx: {nested(levels)}\n---\nbody",
        lambda levels: "---\nx: " + "{a: " * (levels - 1) + "1" + "}" * (levels - 1) + "\n---\nbody",
        lambda levels: "---\nx:\n" + "- " * (levels - 1) + "1\n---\nbody",
        lambda levels: "---\n" + "".join(" " * n + "a:\n" for n in range(levels)) + " " * levels + "1\n---\nb",
        lambda levels: f"+++\nx = {nested(levels)}\n+++\nbody",
        lambda levels: "+++\nx = " + "{a = " * (levels - 1) + "1" + "}" * (levels - 1) + "\n+++\nbody",
        lambda levels: "+++\n" + ".".join(["a"] * levels) + " = 1\n+++\nbody",  # dotted keys nest tables
        lambda levels: f'{{"x": {nested(levels)}}}\nbody',
    ],
    ids=["yaml list", "yaml map", "yaml block list", "yaml block map", "toml", "toml table", "toml dotted", "json"],
)
def test_front_matter_nested_over_100_levels_is_refused(make):
    assert read_front_matter(make(100))[0]
    with pytest.raises(PostError, match=r"^front matter nested too deeply \(over 100 levels\)$"):
        read_front_matter(make(101))


@pytest.mark.parametrize(
    "text",
    [
        "---\nx: '" + "[" * 500 + "'\ny: a - b - c?\n---\nbody",
        "+++\nx = '" + "[" * 500 + '\'\ny = """\n' + "{" * 500 + '""" # [[[[\n+++\nbody',
        '{"x": "' + "[" * 500 + '"}\n' + "[" * 500,  # the body after the object is not front matter
    ],
    ids=["yaml", "toml", "json"],
)
def test_brackets_in_text_are_not_nesting(text):
    assert read_front_matter(text)[0]["x"] == "[" * 500


def test_a_list_holding_itself_is_refused_as_too_deep():
    with pytest.raises(PostError, match="nested too deeply"):
        load_front_matter("x: &a [*a]\n")
