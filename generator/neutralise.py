"""Digest Markdown that would make MkDocs warn or fail, made harmless.

Part bodies are untrusted Markdown, and two kinds of it stop a strict
``mkdocs build``:

* A link MkDocs reads as a link to one of the site's own files
  (``[GitHub](github.com/foo)``, ``[x](#anchor)``, ``[y](/path)``,
  ``![a](x.png)``, ``[x][r]`` with ``[r]: ../x.md``): MkDocs validates it,
  finds no such page and warns, and ``--strict`` aborts. A target that names
  a domain (``github.com/foo``, ``www.x.org``) gets ``https://``; any other
  target without a scheme becomes plain text (a link keeps its text, an image
  its alt text, a reference definition is shown as text). A target
  ``urlsplit`` cannot read (``http://[x``) would raise inside MkDocs: plain
  text too. Links with a scheme stay (the HTML sanitiser decides on them).
* Nesting deep enough to exhaust Python's recursion limit in Python-Markdown:
  lists (about 200 levels), emphasis (about 1000). Lists deeper than
  ``MAX_LIST_DEPTH`` levels are written at that depth, block quotes deeper
  than ``MAX_QUOTE_DEPTH`` are written that deep, and emphasis markers that
  would open more than ``MAX_EMPHASIS_DEPTH`` levels are shown as text.

Code (fenced, indented, inline) and math are never rewritten. Every pass is
linear in the body, and a body that cannot hold any of this (the usual case)
is returned after a few C-speed searches.

``neutralise`` returns the new body and what it changed: one
``(line index in the body, message)`` per kind of change, at the first line
changed, with the number of further changes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LIST_DEPTH = 8
MAX_QUOTE_DEPTH = 8
MAX_EMPHASIS_DEPTH = 16
# Shown in messages: long targets are cut.
_SHOWN = 60

_FENCE = re.compile(r"^[ >]*+(`{3,}+|~{3,}+)")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}(?::[0-9]{1,5})?(?:[/?#]|$)")
# A host alone (no path) counts as a domain only with a common top-level domain:
# "x.png", "README.md" and "model.py" are file names.
_COMMON_TLD = re.compile(r"^[A-Za-z0-9.-]+\.(?:com|org|net|io|ai|edu|gov|dev|app|cn|co|uk|de|jp|info)$", re.I)
_REFERENCE_DEFINITION = re.compile(r"^([ >]*+)\[([^\[\]\n]++)\]:[ \t]*+(\S*+)")
_AUTOLINK = re.compile(r"<([^<>\s]++)>")
_HINT_LINK = re.compile(r"\]\(|\]:|<[^<>\s]++>")
_HINT_DEEP = re.compile(r"^(?:[ \t>]{16}|[ >]*+\t|(?:[ \t]*+>){%d}|(?:[ \t>]*+(?:[-*+]|[0-9]{1,9}[.)])[ \t]++){3})" % (MAX_QUOTE_DEPTH + 1), re.M)
_LIST_MARKER = re.compile(r"^( *+)([-*+]|[0-9]{1,9}[.)])( ++|$)")
_QUOTE_PREFIX = re.compile(r"^(?: {0,3}>)++ ?")
_INLINE_MATH = re.compile(r"(?<!\\)\$\$(?:\\.|[^\\$])+?\$\$|(?<!\\)\$(?!\s)(?:\\.|[^\\$\n])+?(?<!\s)\$")
_EMPHASIS_RUN = re.compile(r"\*++|_++")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?: *+\1){2,} *+$")


def neutralise(body: str) -> tuple[str, list[tuple[int, str]]]:
    """``body`` without what would make MkDocs warn or fail; see the module docstring."""
    changes: list[tuple[int, str]] = []
    lines = body.split("\n")
    if _HINT_DEEP.search(body):
        lines = _flatten(lines, changes)
    if _HINT_LINK.search(body):
        lines = _links(lines, changes)
    if body.count("*") + body.count("_") > 2 * MAX_EMPHASIS_DEPTH:
        lines = _emphasis(lines, changes)
    if not changes:
        return body, changes
    changes.sort()
    return "\n".join(lines), changes


class _Tally:
    """The first line and the number of changes of each kind, for one message per kind."""

    def __init__(self):
        self.first: dict[str, tuple[int, str]] = {}
        self.count: dict[str, int] = {}

    def add(self, kind: str, line: int, message: str) -> None:
        if kind not in self.first:
            self.first[kind] = (line, message)
        self.count[kind] = self.count.get(kind, 0) + 1

    def report(self, changes: list[tuple[int, str]]) -> None:
        for kind, (line, message) in self.first.items():
            more = self.count[kind] - 1
            changes.append((line, message + (f" ({more} more like it in this part)" if more else "")))


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


# -- code regions ---------------------------------------------------------------------------


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines are fenced code, indented code or display math (never rewritten)."""
    code = [False] * len(lines)
    fence = ""
    math = False
    blank_before = True
    for index, line in enumerate(lines):
        if fence:
            code[index] = True
            match = _FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not line[match.end() :].strip():
                fence = ""
            continue
        if math:
            code[index] = True
            if "$$" in line:
                math = False
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)
            code[index] = True
            continue
        stripped = line.strip()
        if stripped.startswith("$$") and stripped.count("$$") == 1:
            math = True
            code[index] = True
            continue
        # Indented code: four spaces after a blank line, outside a list (a list's
        # continuation is indented too; rewriting there is the safe side).
        if blank_before and line.startswith("    ") and stripped and not _in_list(lines, index):
            code[index] = True
            continue
        blank_before = not stripped
    return code


def _in_list(lines: list[str], index: int) -> bool:
    """Whether the paragraph before ``index`` (skipping blank lines) is in a list; bounded look-back."""
    for back in range(index - 1, max(index - 50, -1), -1):
        line = lines[back]
        if line.strip():
            return line.startswith(" ") or bool(_LIST_MARKER.match(line))
    return False


def _mask_code_spans(text: str) -> str:
    """Code spans and math as NULs of the same length (linear: each backtick run is looked at once)."""
    if "`" in text:
        runs = [(m.start(), m.end()) for m in re.finditer(r"`++", text)]
        by_length: dict[int, list[int]] = {}
        for position, (start, end) in enumerate(runs):
            by_length.setdefault(end - start, []).append(position)
        pointer = {length: 0 for length in by_length}
        spans = []
        position = 0
        while position < len(runs):
            start, end = runs[position]
            if start > 0 and text[start - 1] == "\\":
                position += 1
                continue
            same = by_length[end - start]
            at = pointer[end - start]
            while at < len(same) and same[at] <= position:
                at += 1
            pointer[end - start] = at
            if at == len(same):
                position += 1
                continue
            closing = same[at]
            spans.append((start, runs[closing][1]))
            position = closing + 1
        if spans:
            chars = list(text)
            for start, end in spans:
                chars[start:end] = "\0" * (end - start)
            text = "".join(chars)
    if "$" in text:
        text = _INLINE_MATH.sub(lambda m: "\0" * len(m.group()), text)
    return text


def _paragraphs(lines: list[str], code: list[bool]):
    """Runs of consecutive non-blank lines outside code: (first index, last index + 1)."""
    start = None
    for index, line in enumerate(lines):
        if code[index] or not line.strip():
            if start is not None:
                yield start, index
                start = None
        elif start is None:
            start = index
    if start is not None:
        yield start, len(lines)


# -- links -----------------------------------------------------------------------------------


def _target_kind(target: str) -> str:
    """"ok" (a scheme or a host: MkDocs leaves it alone), "domain" or "relative"."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return "relative"
    if parts.scheme or parts.netloc:
        if target[:1] in "/\\":
            return "relative"  # MkDocs checks a link starting with a slash as absolute
        return "ok"
    if _DOMAIN.match(target) and ("/" in target or target.lower().startswith("www.") or _COMMON_TLD.match(target.split("?")[0].split("#")[0])):
        return "domain"
    return "relative"


def _destination(text: str, start: int) -> tuple[int, int, int] | None:
    """After ``](`` at ``start``: (target start, target end, index after ``)``), or None.

    As Python-Markdown reads it: an angle-bracketed target, or a run with
    balanced parentheses in which the target is the first word.
    """
    position = start
    length = len(text)
    while position < length and text[position] in " \t\n":
        position += 1
    if position < length and text[position] == "<":
        close = text.find(">", position)
        newline = text.find("\n", position)
        if close == -1 or (newline != -1 and newline < close):
            return None
        target_start, target_end = position + 1, close
        position = close + 1
        depth = 1
    else:
        target_start = position
        position, depth = _scan_parentheses(text, position, 1, " \t\n")
        if depth == 0:
            return target_start, position, position + 1
        target_end = min(position, length)
    # The rest up to the matching ")" (a title): bounded by the paragraph.
    position, depth = _scan_parentheses(text, position, depth)
    return (target_start, target_end, position + 1) if depth == 0 else None


def _scan_parentheses(text: str, position: int, depth: int, stop: str = "") -> tuple[int, int]:
    """Where the ")" closing ``depth`` open parentheses stands (depth 0), or where a ``stop`` character or the end came first.

    Backslash escapes are skipped.
    """
    length = len(text)
    while position < length and text[position] not in stop:
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position, 0
        position += 1
    return position, depth


def _normal_label(label: str) -> str:
    return " ".join(label.split()).lower()


def _links(lines: list[str], changes: list[tuple[int, str]]) -> list[str]:
    code = _code_lines(lines)
    tally = _Tally()
    lines = list(lines)
    # Reference definitions: any line of a block may hold one.
    bad_labels: set[str] = set()
    for index, line in enumerate(lines):
        if code[index] or "]:" not in line:
            continue
        match = _REFERENCE_DEFINITION.match(line)
        if not match:
            continue
        target = match.group(3)
        target_start = match.start(3)
        target_line = index
        if not target and index + 1 < len(lines) and not code[index + 1]:
            following = lines[index + 1]
            target = following.split()[0] if following.split() else ""
            target_line = index + 1
            target_start = len(following) - len(following.lstrip())
        target = target.removeprefix("<").removesuffix(">")
        if not target:
            continue
        kind = _target_kind(target)
        if kind == "domain":
            shift = 1 if lines[target_line][target_start : target_start + 1] == "<" else 0
            at = target_start + shift
            lines[target_line] = lines[target_line][:at] + "https://" + lines[target_line][at:]
            tally.add("domain", index, f"link target {_shown(target)} has no scheme: written as 'https://…'")
        elif kind == "relative":
            bracket = match.end(1)
            lines[index] = line[:bracket] + "\\" + line[bracket:]
            bad_labels.add(_normal_label(match.group(2)))
            tally.add("relative", index, f"link target {_shown(target)} is not an absolute http(s) URL: shown as text")

    for first, end in _paragraphs(lines, code):
        text = "\n".join(lines[first:end])
        if "](" not in text and "<" not in text and not (bad_labels and "[" in text):
            continue
        masked = _mask_code_spans(text)
        # (position, characters to delete, text to insert), never overlapping.
        edits: list[tuple[int, int, str]] = []
        line_starts = [0]
        for line in lines[first:end]:
            line_starts.append(line_starts[-1] + len(line) + 1)

        def line_of(offset: int) -> int:
            low, high = 0, len(line_starts) - 1
            while low < high - 1:
                middle = (low + high) // 2
                if line_starts[middle] <= offset:
                    low = middle
                else:
                    high = middle
            return first + low

        openers: list[int] = []
        position = 0
        length = len(masked)
        while position < length:
            char = masked[position]
            if char == "\\":
                position += 2
                continue
            if char == "[":
                openers.append(position)
            elif char == "]" and openers:
                opener = openers.pop()
                image = opener > 0 and masked[opener - 1] == "!" and not (opener > 1 and masked[opener - 2] == "\\")
                start = opener - 1 if image else opener
                if masked.startswith("(", position + 1):
                    found = _destination(masked, position + 2)
                    if found is not None:
                        target_start, target_end, after = found
                        target = text[target_start:target_end]
                        kind = _target_kind(target)
                        if kind == "domain":
                            edits.append((target_start, 0, "https://"))
                            tally.add("domain", line_of(target_start), f"link target {_shown(target)} has no scheme: written as 'https://…'")
                        elif kind == "relative":
                            what = "image" if image else "link"
                            edits.append((start, opener + 1 - start, ""))
                            edits.append((position, after - position, ""))
                            tally.add(
                                "relative", line_of(position),
                                f"{what} target {_shown(target)} is not an absolute http(s) URL: shown as text",
                            )
                        position = after  # the destination holds no brackets of the text
                        continue
                elif bad_labels:
                    label_end = -1
                    label = masked[opener + 1 : position]
                    if masked.startswith("[", position + 1):
                        label_end = masked.find("]", position + 2)
                        if label_end != -1 and "[" not in masked[position + 2 : label_end]:
                            label = masked[position + 2 : label_end] or label
                        else:
                            label_end = -1
                    if _normal_label(label) in bad_labels:
                        edits.append((start, opener + 1 - start, ""))
                        edits.append((position, (label_end + 1 if label_end != -1 else position + 1) - position, ""))
                        if label_end != -1:
                            position = label_end + 1
                            continue
            elif char == "<":
                match = _AUTOLINK.match(masked, position)
                if match and _target_kind(match.group(1)) == "domain" and "@" not in match.group(1):
                    edits.append((position + 1, 0, "https://"))
                    tally.add("domain", line_of(position), f"link target {_shown(match.group(1))} has no scheme: written as 'https://…'")
                    position = match.end()
                    continue
            position += 1
        if not edits:
            continue
        edits.sort()
        out: list[str] = []
        at = 0
        for where, delete, insert in edits:
            if where < at:
                continue
            out.append(text[at:where])
            out.append(insert)
            at = where + delete
        out.append(text[at:])
        lines[first:end] = "".join(out).split("\n")
    tally.report(changes)
    return lines


# -- nesting ---------------------------------------------------------------------------------


def _flatten(lines: list[str], changes: list[tuple[int, str]]) -> list[str]:
    """Lists deeper than ``MAX_LIST_DEPTH`` at that depth, quotes cut to ``MAX_QUOTE_DEPTH``.

    Nesting is read from indentation: a list item is inside each open item
    whose content column its indentation reaches (a lower line closes an item
    only after a blank line; lazy continuation lines keep it open), so the
    depth found is never lower than CommonMark's.
    """
    tally = _Tally()
    out = list(lines)
    fence = ""
    # Open items: (content column in the text, content column as written).
    stack: list[tuple[int, int]] = []
    blank_before = True
    for index, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = ""
            continue
        if not line.strip():
            blank_before = True
            continue
        prefix = ""
        rest = line
        quote = _QUOTE_PREFIX.match(line)
        if quote:
            prefix, rest = quote.group(), line[quote.end() :]
            depth = prefix.count(">")
            if depth > MAX_QUOTE_DEPTH:
                tally.add("quote", index, f"block quote nested {depth} levels deep: written {MAX_QUOTE_DEPTH} levels deep")
                prefix = "> " * MAX_QUOTE_DEPTH
        if "\t" in rest[: len(rest) - len(rest.lstrip())]:
            stripped = rest.lstrip(" \t")
            rest = rest[: len(rest) - len(stripped)].expandtabs(4) + stripped
        indent = len(rest) - len(rest.lstrip(" "))
        marker = _LIST_MARKER.match(rest)
        if fence_match:
            fence = fence_match.group(1)
        if marker is None or _THEMATIC_BREAK.match(rest):
            if blank_before:
                while stack and stack[-1][0] > indent:
                    stack.pop()
            if stack and indent >= stack[-1][0] and stack[-1][0] != stack[-1][1]:
                # Continuation of a flattened item: shifted left with it.
                shift = min(stack[-1][0] - stack[-1][1], indent)
                rest = rest[shift:]
            if quote or rest is not line:
                out[index] = prefix + rest
            blank_before = False
            continue
        while stack and stack[-1][0] > indent:
            stack.pop()
        # The markers on this line: "- - - x" opens three levels at once.
        markers: list[str] = []
        columns: list[int] = []  # content column of each, in the text
        column = indent
        text = rest[indent:]
        while True:
            match = _LIST_MARKER.match(text)
            if match is None or (markers and _THEMATIC_BREAK.match(text)):
                break
            spaces = match.group(3) or " "
            markers.append(match.group(2) + spaces)
            column += len(match.group(1)) + len(match.group(2)) + len(spaces)
            columns.append(column)
            text = text[match.end() :]
            if not match.group(3):
                break
        depth = len(stack) + len(markers)
        if depth > MAX_LIST_DEPTH:
            tally.add("list", index, "")
            # At most MAX_LIST_DEPTH levels: the parents that fit, then the line's own markers that fit.
            del stack[MAX_LIST_DEPTH - 1 :]
            room = MAX_LIST_DEPTH - len(stack)
            keep = list(range(room - 1)) + [len(markers) - 1]
            markers = [markers[i] for i in keep]
            columns = [columns[i] for i in keep]
        parent_text, parent_written = stack[-1] if stack else (0, 0)
        if depth > MAX_LIST_DEPTH:
            written = parent_written  # a sibling of the deepest item kept
        elif parent_text == parent_written:
            written = indent
        else:
            written = parent_written + min(max(indent - parent_text, 0), 3)
        if written != indent or depth > MAX_LIST_DEPTH or rest is not line or quote:
            out[index] = prefix + " " * written + "".join(markers) + text
        position = written
        for item, column in zip(markers, columns):
            position += len(item)
            stack.append((column, position))
        blank_before = False
    if "list" in tally.first:
        line, _ = tally.first["list"]
        tally.first["list"] = (line, f"list nested more than {MAX_LIST_DEPTH} levels deep: deeper items are written at level {MAX_LIST_DEPTH}")
    tally.report(changes)
    return out


def _emphasis(lines: list[str], changes: list[tuple[int, str]]) -> list[str]:
    """Emphasis markers that would open more than ``MAX_EMPHASIS_DEPTH`` levels, as escaped text."""
    code = _code_lines(lines)
    tally = _Tally()
    lines = list(lines)
    for first, end in _paragraphs(lines, code):
        text = "\n".join(lines[first:end])
        if text.count("*") + text.count("_") <= 2 * MAX_EMPHASIS_DEPTH:
            continue
        masked = _mask_code_spans(text)
        open_levels: list[int] = []
        depth = 0
        escapes: list[tuple[int, int]] = []
        for match in _EMPHASIS_RUN.finditer(masked):
            start, end_ = match.span()
            if start > 0 and masked[start - 1] == "\\":
                continue
            before = masked[start - 1] if start > 0 else " "
            after = masked[end_] if end_ < len(masked) else " "
            opens = not after.isspace()
            closes = not before.isspace()
            underscore = match.group()[0] == "_"
            if underscore and opens and closes:
                continue  # inside a word: no emphasis with "_"
            weight = (end_ - start + 1) // 2
            if closes and (open_levels or not opens):
                if open_levels:
                    depth -= open_levels.pop()
                continue
            if not opens:
                continue
            if depth + weight > MAX_EMPHASIS_DEPTH:
                escapes.append((start, end_))
                continue
            open_levels.append(weight)
            depth += weight
        if not escapes:
            continue
        out: list[str] = []
        at = 0
        for start, end_ in escapes:
            out.append(text[at:start])
            out.append("".join("\\" + char for char in text[start:end_]))
            at = end_
        out.append(text[at:])
        first_line = first + text.count("\n", 0, escapes[0][0])
        for _ in escapes:
            tally.add("emphasis", first_line, f"emphasis nested more than {MAX_EMPHASIS_DEPTH} levels deep: the deeper markers are shown as text")
        lines[first:end] = "".join(out).split("\n")
    tally.report(changes)
    return lines
