import json

import pytest

from articles.importer.frontmatter import YAML, read_front_matter
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
    assert data["1"] == "numeric key"
    assert data["nested"]["a"] == [1, 2.5, None]
    assert sorted(data["nested"]["b"]) == ["x", "y"]


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
