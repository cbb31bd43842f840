"""generator/text.py: shortened one-line text and XML-safe text."""

from __future__ import annotations

from generator.text import ITEM_LIMIT, shorten, xml_text


def test_short_text_is_kept_whole():
    assert shorten("一句话。", 10) == "一句话。"


def test_long_text_is_cut_at_a_sentence_end():
    assert shorten("第一句很长很长。第二句也很长很长很长", 11) == "第一句很长很长。…"


def test_long_text_is_cut_at_a_word_boundary_when_no_sentence_ends_in_reach():
    assert shorten("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"


def test_text_without_boundaries_is_cut_at_the_limit():
    assert shorten("a" * 1000, ITEM_LIMIT) == "a" * ITEM_LIMIT + "…"


def test_xml_text_replaces_what_xml_forbids_and_keeps_the_rest():
    assert xml_text("a\x0bb\x1bc\ufffed\tE\n中") == "a\ufffdb\ufffdc\ufffdd\tE\n中"
