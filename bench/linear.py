"""Inputs that grow one feature with their size, and their timing at two sizes.

``PARSE_SHAPES`` are digests (many papers, one huge paper, one huge line...);
``MARKDOWN_SHAPES`` are part bodies and contributions written to make a
backtracking pattern or a walk back over the output take quadratic time. The
tests run them without a clock (tests/test_properties.py: the Python work they
cost is counted, and the big sizes run under a hang guard); ``python -m bench``
times them here, where a time is a figure to read, not an assertion.
"""

from __future__ import annotations

import time
from typing import Callable

HEAD = "# Hugging Face Daily Papers Report\n**Date**: 2026-01-18\n\n" + "=" * 60 + "\n\n"
PAPER = "## 📄 Big\n\n- **链接**: https://huggingface.co/papers/2601.00001\n\n"


def _paper(i: int) -> str:
    return (
        f"## 📄 Paper {i}\n\n- **链接**: https://huggingface.co/papers/2601.{i % 100000:05d}\n- **阅读来源**: HTML\n\n"
        "1. **应用领域**：计算机视觉。\n\n2. **一句话核心贡献**：提出一种方法。\n\n3. **使用指南**：\n   *   **输入**：图像。\n\n"
        "4. **主要创新点**：\n   1. 创新一。\n   2. 创新二。\n\n5. **实验效果**：\n   *   效果一。\n\n" + "=" * 60 + "\n\n"
    )


def repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` bytes of UTF-8."""
    return unit * max(1, size // len(unit.encode()))


# Digests of about n bytes.
PARSE_SHAPES: dict[str, Callable[[int], str]] = {
    "many papers": lambda n: HEAD + "".join(_paper(i) for i in range(max(1, n // 400))),
    "one paper, many body lines": lambda n: HEAD + PAPER + "1. **应用领域**：视觉\n" + repeat("   *   正文 $x$ `code`\n", n),
    "many numbered headings": lambda n: HEAD + PAPER + repeat("1. **应用领域**：a\n2. **步骤**：b\n3. **步骤**：c\n", n),
    "many blank lines": lambda n: HEAD + PAPER + "1. **应用领域**：\n" + "\n" * n + "x\n",
    "one line of spaces": lambda n: HEAD + PAPER + "- **阅读来源**: a" + " " * n + "x\n",
    "one title of spaces": lambda n: HEAD + "## 📄 a" + " " * n + "x\n",
    "one heading of hashes": lambda n: HEAD + PAPER + "# a" + " #" * (n // 2) + "x\n",
    "one line of tabs": lambda n: HEAD + PAPER + "\t" * n + "x\n",
    "one header line of spaces": lambda n: "**Date**:" + " " * n + "x\n" + PAPER,
    "one line of stars": lambda n: HEAD + PAPER + "1. **" + "*" * n + "x\n",
}

# (stage, text of about n bytes): stage is one of "plain_text", "for_python_markdown", "link_names".
MARKDOWN_SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "emphasis never closed (*a )": ("plain_text", lambda n: repeat("*a ", n)),
    "emphasis never closed (_a )": ("plain_text", lambda n: repeat("_a ", n)),
    "brackets never closed": ("plain_text", lambda n: "[" * n),
    "links never closed": ("plain_text", lambda n: repeat("[a](", n)),
    "tags never closed": ("plain_text", lambda n: "<" * n),
    "blank lines": ("plain_text", lambda n: "\n" * n + "x"),
    "tags never closed (<a )": ("link_names", lambda n: "X " + repeat("<a ", n)),
    "brackets never closed, linked": ("link_names", lambda n: "X " + "[" * n),
    "one backtick run": ("link_names", lambda n: "X " + "`" * n),
    "links never closed, linked": ("link_names", lambda n: "X " + repeat("[a](", n)),
    "images never closed, linked": ("link_names", lambda n: "X " + repeat("![a]", n)),
    "backtick run with a backslash": ("for_python_markdown", lambda n: "a" + "`" * n + "\\x"),
    "backtick run with raw HTML": ("for_python_markdown", lambda n: "<" + "`" * n),
    "code spans of growing runs": ("for_python_markdown", lambda n: repeat("``a ", n) + "\\x <b"),
    "a long tight list": ("for_python_markdown", lambda n: repeat("- a\\\n", n)),
    "a long list after text": ("for_python_markdown", lambda n: "x\n" + repeat("1. a <b\n", n)),
    "display math never closed": ("for_python_markdown", lambda n: repeat("$$a ", n) + "\\x"),
    "formula lines": ("for_python_markdown", lambda n: "a\n" + repeat("$$ a\nb\n", n)),
    "fence-like continuation lines": ("for_python_markdown", lambda n: "a\n" + repeat("    ```x\n", n)),
    "fence-like lines after a formula": ("for_python_markdown", lambda n: "$$x$$\n" + repeat("        ```py\n", n)),
    "fences": ("for_python_markdown", lambda n: repeat("```\n", n)),
    "items that start with items": ("for_python_markdown", lambda n: repeat("- ", n) + "x"),
    "items that start with items, with raw HTML": ("for_python_markdown", lambda n: repeat("* ", n) + "<x"),
    "inline math never closed": ("for_python_markdown", lambda n: repeat("$a ", n) + "\\x"),
    "escaped dollars": ("for_python_markdown", lambda n: "$$" + repeat("\\$", n) + "\\x"),
    "a fence-like line with quoted options": ("for_python_markdown", lambda n: "$$x$$ ```" + repeat(' a="b"', n) + " !"),
    "a long plain list": ("for_python_markdown", lambda n: repeat("*   a\n", n) + "*   b"),
}


def markdown_stage(stage: str) -> Callable[[str], object]:
    from generator import markdown

    if stage == "link_names":
        return lambda text: markdown.link_names(text, {"X": "../x/"})
    return getattr(markdown, stage)


def _best(run: Callable[[], object], times: int) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def measure(small: int = 1_000_000, big: int = 10_000_000, markdown_small: int = 30_000, markdown_big: int = 300_000) -> dict:
    """Seconds at two sizes for every shape, and the ratio big / small (about 10 when linear)."""
    from generator.parse import parse_bytes

    results: dict[str, dict] = {}
    for name, make in PARSE_SHAPES.items():
        timings = []
        for size in (small, big):
            raw = make(size).encode()
            timings.append(_best(lambda: parse_bytes(raw, "big.md"), 2 if size < 5_000_000 else 1))
        results[f"parse: {name}"] = {"seconds": timings, "ratio": timings[1] / max(timings[0], 1e-3)}
    for name, (stage, make) in MARKDOWN_SHAPES.items():
        function = markdown_stage(stage)
        timings = []
        for size in (markdown_small, markdown_big):
            text = make(size)
            timings.append(_best(lambda: function(text), 2))
        results[f"{stage}: {name}"] = {"seconds": timings, "ratio": timings[1] / max(timings[0], 1e-3)}
    return results


def table(results: dict) -> str:
    lines = ["| input that grows | small | 10x bigger | ratio (~10 when linear) |", "|---|---|---|---|"]
    for name, row in results.items():
        small, big = row["seconds"]
        lines.append(f"| {name} | {small:.3f} s | {big:.3f} s | {row['ratio']:.1f} |")
    return "\n".join(lines)
