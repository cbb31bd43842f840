"""Digest Markdown that would make MkDocs warn or fail, made harmless (generator/neutralise.py)."""

from __future__ import annotations

import markdown
import pytest

from generator.markdown import for_python_markdown
from generator.neutralise import MAX_LIST_DEPTH, neutralise

EXTENSIONS = ["toc", "tables", "admonition", "pymdownx.details", "md_in_html", "pymdownx.superfences",
              "pymdownx.escapeall", "pymdownx.arithmatex"]


def _html(body: str) -> str:
    return markdown.markdown(for_python_markdown(body), extensions=EXTENSIONS,
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[GitHub](github.com/foo/bar)", "[GitHub](https://github.com/foo/bar)"),
        ("[站点](www.example.org)", "[站点](https://www.example.org)"),
        ("[x](#anchor) [y](/path) [z](../x.md)", "x y z"),
        ("图：![示意图](x.png)", "图：示意图"),
        ("[n](<a b.md> \"title\")", "n"),
        ("[bad](http://[oops)", "bad"),
        ("[a\nb](c.md) after", "a\nb after"),
        ("[![img](x.png)](y.md)", "img"),
        ("<github.com/x>", "<https://github.com/x>"),
        ("see [x][r] and [r]\n\n[r]: ../x.md", "see x and r\n\n\\[r]: ../x.md"),
        ("[x][g]\n\n[g]: github.com/foo", "[x][g]\n\n[g]: https://github.com/foo"),
    ],
)
def test_links_without_a_scheme_become_https_or_text(body, expected):
    out, changes = neutralise(body)
    assert out == expected
    assert changes


@pytest.mark.parametrize(
    "body",
    [
        "[ok](https://example.com/a) [m](mailto:a@example.com) [h](http://x.org \"t\")",
        "`[c](d.md)` and $[a](b)$",
        "```\n[c](d.md)\n```",
        "plain text with a file name x.png and README.md",
        "<https://example.com> <a@example.com>",
        "\n".join("  " * i + "- x" for i in range(MAX_LIST_DEPTH)),
        "> " * 8 + "x",
    ],
)
def test_what_mkdocs_accepts_is_left_alone(body):
    assert neutralise(body) == (body, [])


def test_changes_are_reported_once_per_kind_at_the_first_line():
    out, changes = neutralise("text\n[a](x.md) [b](y.md)\n[c](github.com/z)")
    assert out == "text\na b\n[c](https://github.com/z)"
    assert changes == [
        (1, "link target 'x.md' is not an absolute http(s) URL: shown as text (1 more like it in this part)"),
        (2, "link target 'github.com/z' has no scheme: written as 'https://…'"),
    ]


def _list_depth(html: str) -> int:
    depth = deepest = 0
    for piece in html.split("<"):
        if piece.startswith(("ul>", "ol>", "ol ", "blockquote>")):
            depth += 1
            deepest = max(deepest, depth)
        elif piece.startswith(("/ul>", "/ol>", "/blockquote>")):
            depth -= 1
    return deepest


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("list", "\n".join("  " * i + "- x" for i in range(250)), "list nested more than 8 levels deep"),
        ("ordered", "\n".join("   " * i + "1. x" for i in range(250)), "list nested more than 8 levels deep"),
        ("one line", "- " * 250 + "x", "list nested more than 8 levels deep"),
        ("lazy", "\n".join(("  " * i + "- x") if i % 2 else "lazy" for i in range(500)), "list nested more than 8"),
        ("quote", "> " * 1000 + "x", "block quote nested 1000 levels deep: written 8 levels deep"),
        ("strong", "**a " * 1000 + "x" + " a**" * 1000, "emphasis nested more than 16 levels deep"),
        ("run", "**" * 1000 + "x" + "**" * 1000, "emphasis nested more than 16 levels deep"),
    ],
)
def test_deep_nesting_is_cut_to_what_python_markdown_can_parse(name, body, message):
    if name in ("strong", "run"):  # what the body would do without neutralise
        with pytest.raises(RecursionError):
            _html(body)
    # Lists: markdown.for_python_markdown also caps nesting (at 16 levels) on its own; quotes and lazy
    # lines Python-Markdown reads flatter than CommonMark. All are cut here all the same.
    out, changes = neutralise(body)
    assert len(changes) == 1 and changes[0][1].startswith(message)
    assert _list_depth(_html(out)) <= 8
    assert out.count("x") == body.count("x")  # nothing is lost


def test_a_list_cut_keeps_its_first_levels_and_every_item():
    body = "\n".join("  " * i + f"- {i}" for i in range(12))
    out, _ = neutralise(body)
    lines = out.split("\n")
    assert lines[:8] == body.split("\n")[:8]
    assert [line.strip() for line in lines] == [f"- {i}" for i in range(12)]
    assert _list_depth(_html(out)) == 8


def test_a_strict_mkdocs_build_of_hostile_links_and_nesting_finishes_without_warnings(tmp_path):
    """One real build: every link kind MkDocs would check, and nesting deep enough to recurse, in one digest."""
    from conftest import FIXTURES
    from site_build import build_site

    digests = tmp_path / "digests"
    digests.mkdir()
    for name in ("schemeless_links.md", "deep_nesting.md"):
        (digests / name).write_bytes((FIXTURES / "hostile" / name).read_bytes())
    site, warnings = build_site(digests, tmp_path / "work", strict=True)
    assert warnings == []
    page = (site / "papers" / "2505.96001" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/foo/bar"' in page and 'href="https://www.example.org"' in page
    assert "../x.md" not in page.split("<article")[1].split("</article>")[0].replace("[r]: ../paper.md", "")
    assert (site / "papers" / "2505.97001" / "index.html").is_file()
