"""The re-import merge rules, as pure functions (the database side is in test_runner_merge.py)."""

from articles.importer.merge import comparable, digest, merge

SNAPSHOT = {
    "title": "Old title",
    "body_html": "digest-1",
    "excerpt": "Excerpt",
    "author": "Reporter",
    "original_url": "https://example.com/a",
    "published_at": "2022-07-07T15:04:00+00:00",
    "lead_image_url": "",
    "lead_image_caption": "",
    "status": "published",
    "legacy_slug": "a",
    "tags": ["china", "taiwan"],
    "categories": ["news"],
}


def changed(base, **fields):
    return {**base, **fields}


def test_untouched_article_follows_the_source():
    result = merge(dict(SNAPSHOT), SNAPSHOT, changed(SNAPSHOT, title="New title", body_html="digest-2"))
    assert sorted(result.take) == ["body_html", "title"]
    assert result.conflicts == []
    assert result.outcome == "updated"


def test_nothing_changed_anywhere_is_unchanged():
    result = merge(dict(SNAPSHOT), SNAPSHOT, dict(SNAPSHOT))
    assert not result.changed
    assert result.outcome == "unchanged"


def test_curator_edit_is_kept_when_the_source_did_not_change_that_field():
    current = changed(SNAPSHOT, title="Curated title")
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, excerpt="New excerpt"))
    assert result.take == ["excerpt"]
    assert result.conflicts == []


def test_field_changed_by_both_keeps_the_curator_value_and_is_a_conflict():
    current = changed(SNAPSHOT, title="Curated title")
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, title="Source title", excerpt="New excerpt"))
    assert result.take == ["excerpt"]
    assert result.conflicts == ["title"]
    assert result.outcome == "updated"


def test_article_whose_every_source_change_is_curator_held_is_skipped():
    current = changed(SNAPSHOT, title="Curated title", status="hidden")
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, title="Source title", status="draft"))
    assert result.take == []
    assert sorted(result.conflicts) == ["status", "title"]
    assert result.outcome == "skipped"


def test_source_agreeing_with_the_curator_is_no_conflict():
    current = changed(SNAPSHOT, title="Same fix")
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, title="Same fix"))
    assert result.outcome == "unchanged"
    assert result.conflicts == []


def test_overwrite_takes_every_differing_field_from_the_source():
    current = changed(SNAPSHOT, title="Curated", status="hidden", tags=["mine"])
    result = merge(current, SNAPSHOT, dict(SNAPSHOT), overwrite=True)
    assert sorted(result.take) == ["status", "title"]
    assert result.sets == {"tags": {"china", "taiwan"}}
    assert result.conflicts == []


def test_tags_added_by_the_curator_stay_and_source_additions_follow():
    current = changed(SNAPSHOT, tags=["china", "taiwan", "curated"])
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, tags=["china", "taiwan", "military"]))
    assert result.sets["tags"] == {"china", "taiwan", "curated", "military"}


def test_tags_removed_by_the_curator_stay_removed():
    current = changed(SNAPSHOT, tags=["china"])
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, title="New", tags=["china", "taiwan"]))
    assert "tags" not in result.sets
    assert result.take == ["title"]


def test_tags_removed_in_the_source_are_removed_unless_the_curator_keeps_other_tags():
    current = changed(SNAPSHOT, tags=["china", "taiwan", "curated"])
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, tags=["china"]))
    assert result.sets["tags"] == {"china", "curated"}


def test_categories_merge_as_sets_too():
    current = changed(SNAPSHOT, categories=["news", "featured-picks"])
    result = merge(current, SNAPSHOT, changed(SNAPSHOT, categories=["world"]))
    assert result.sets["categories"] == {"world", "featured-picks"}


def test_article_without_snapshot_is_treated_as_curated_everywhere():
    current = changed(SNAPSHOT, title="Hand-made", tags=["mine"])
    result = merge(current, {}, changed(SNAPSHOT, title="From a file"))
    assert result.take == []
    assert result.conflicts == ["title"]
    assert result.sets == {"tags": {"mine", "china", "taiwan"}}


def test_changes_in_set_fields_alone_make_an_update():
    result = merge(dict(SNAPSHOT), SNAPSHOT, changed(SNAPSHOT, tags=["china"]))
    assert result.outcome == "updated"
    assert result.sets == {"tags": {"china"}}


def test_the_snapshot_compares_long_texts_by_digest_and_short_values_as_they_are():
    values = comparable({"title": "标题", "body_html": "<p>正文</p>", "author": "记者", "tags": ["a"]})
    assert values == {"title": digest("标题"), "body_html": digest("<p>正文</p>"), "author": "记者", "tags": ["a"]}
    curated = comparable(changed(SOURCE_TEXTS, title="编辑的标题"))
    result = merge(curated, comparable(SOURCE_TEXTS), comparable(changed(SOURCE_TEXTS, excerpt="新摘要")))
    assert (result.take, result.conflicts) == (["excerpt"], [])


SOURCE_TEXTS = {"title": "原标题", "excerpt": "原摘要", "lead_image_caption": "图注", "body_html": "<p>正文</p>"}
