import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from articles.importer.checks import strip_selectors_check
from articles.importer.clean import clean_html
from articles.importer.strip import PLACEHOLDERS, compile_rules

BOILERPLATE = (
    '<p>Text.</p><div class="share-bar">Share: Facebook Twitter</div>'
    '<p class="editor-note">责任编辑：王五</p><div id="dfp-ad-1">廣告</div>'
)


def test_the_default_setting_drops_ads_but_not_other_boilerplate():
    cleaned = clean_html(BOILERPLATE)
    assert "廣告" not in cleaned
    assert "Share: Facebook Twitter" in cleaned and "责任编辑" in cleaned


@override_settings(IMPORT_STRIP_SELECTORS=":--placeholders, .share-bar, p.editor-note")
def test_a_sites_boilerplate_is_added_to_the_placeholders_without_code():
    assert clean_html(BOILERPLATE) == "<p>Text.</p>"


@override_settings(IMPORT_STRIP_SELECTORS=".share-bar")
def test_the_setting_replaces_the_built_in_rules():
    cleaned = clean_html(BOILERPLATE)
    assert "Share:" not in cleaned
    assert "<p>廣告</p>" in cleaned


@override_settings(IMPORT_STRIP_SELECTORS="  ")
def test_a_blank_setting_strips_nothing():
    assert "廣告" in clean_html(BOILERPLATE)


@pytest.mark.parametrize(
    "selector",
    [
        'p:-soup-contains("未经授权不得转载")',  # by tag and text
        ':is(.reprint, [id="reprint"])',
        "p:has(> strong.reprint)",  # a relative selector: tried on every element
        'a[href*="sponsored"]',
    ],
)
def test_selector_forms(selector):
    html = (
        '<p>正文。</p><p class="reprint" id="reprint"><strong class="reprint">'
        '<a href="https://x.example/sponsored">本文未经授权不得转载</a></strong></p>'
    )
    with override_settings(IMPORT_STRIP_SELECTORS=selector):
        assert clean_html(html) == "<p>正文。</p>", selector


@override_settings(IMPORT_STRIP_SELECTORS=".related")
def test_an_element_holding_more_than_a_label_is_kept():
    text = "A real paragraph of the article, well over forty characters long."
    assert text in clean_html(f'<div class="related">{text}</div>')


def test_the_placeholders_cover_todays_ad_and_paywall_marks():
    rules = compile_rules(PLACEHOLDERS)
    assert rules.attributes == {"id", "class"} and not rules.any_element and not rules.tags
    html = (
        '<p>a</p><div class="lazy AD-slot-top">Ad</div><div class="ads">x</div><div id="imu2"></div>'
        '<div class="taboola-feed"></div><div class="piano-offer"> </div><p>b</p>'
    )
    assert clean_html(html) == "<p>a</p>\n<p>b</p>"


@pytest.mark.parametrize("selector", ["div[", ":--nope", "p:-soup-contains(", ","])
def test_a_selector_that_does_not_parse_is_a_startup_error(selector):
    with override_settings(IMPORT_STRIP_SELECTORS=selector):
        errors = strip_selectors_check(None)
        assert len(errors) == 1 and isinstance(errors[0], Error)
        assert errors[0].id == "articles.E001"
        assert errors[0].msg.startswith("IMPORT_STRIP_SELECTORS is not a valid CSS selector list (")
        assert repr(selector) in errors[0].msg
        with pytest.raises(SystemCheckError, match="IMPORT_STRIP_SELECTORS"):
            call_command("check")


def test_a_valid_setting_passes_the_check():
    with override_settings(IMPORT_STRIP_SELECTORS=":--placeholders, .share-bar"):
        assert strip_selectors_check(None) == []
