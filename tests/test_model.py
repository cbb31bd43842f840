"""The model's diagnostics print safely (generator/model.py)."""

from __future__ import annotations

from generator.model import Diagnostic, escape_controls


def test_diagnostics_escape_control_separator_and_bidi_characters():
    diagnostic = Diagnostic("a\n::warning::x\x1b[2J\u202e.md", 3, "warning", "title \u2028\x85\x7f\u2066 ok 中文")
    assert str(diagnostic) == "a\\n::warning::x\\x1b[2J\\u202e.md:3: warning: title \\u2028\\x85\\x7f\\u2066 ok 中文"
    assert "\n" not in str(diagnostic)


def test_plain_text_is_unchanged():
    assert escape_controls("digests/2026-01-18.md") == "digests/2026-01-18.md"
