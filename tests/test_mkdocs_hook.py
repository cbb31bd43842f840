"""The MkDocs hook: loud digest problems that a strict build survives, the empty archive, SITE_URL, serve's watch."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_DIGESTS = FIXTURES / "samples"
WITH_ERRORS = FIXTURES / "build" / "with_errors"


def load_hook():
    """The hook as MkDocs loads it (a module from its file path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mkdocs_hook_under_test", ROOT / "generator" / "mkdocs_hook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_config(work: Path) -> Path:
    """The project's mkdocs.yml with docs/ in ``work`` (and absolute paths for what stays in the project)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        "docs_dir: docs\n": f"docs_dir: {work / 'docs'}\n",
        "custom_dir: templates/theme\n": f"custom_dir: {ROOT / 'templates' / 'theme'}\n",
        "- generator/mkdocs_hook.py\n": f"- {ROOT / 'generator' / 'mkdocs_hook.py'}\n",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    docs = work / "docs"
    docs.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copy(ROOT / "docs" / "me.md", docs / "me.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    config = work / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def mkdocs_build_strict(work: Path, digests: Path, **env: str) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` as ``make site`` runs it, from ``work`` (its paths are shown relative to it)."""
    config = project_config(work)
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update(DAILY_PAPERS_DIGESTS=str(digests), NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "--site-dir", str(work / "site")],
        cwd=work, env=environment, capture_output=True, text=True,
    )


def warnings_of(output: str) -> list[str]:
    return [line[len("WARNING -  "):] for line in output.splitlines() if line.startswith("WARNING -  ")]


def test_strict_build_prints_every_digest_problem_and_publishes_the_rest(tmp_path):
    digests = tmp_path / "digests"
    shutil.copytree(WITH_ERRORS, digests)
    shutil.copytree(SAMPLE_DIGESTS, digests, dirs_exist_ok=True)
    run = mkdocs_build_strict(tmp_path, digests)
    assert run.returncode == 0, run.stderr
    assert "Aborted" not in run.stderr
    warnings = warnings_of(run.stderr)
    problems = [w for w in warnings if re.match(r"digests/[^:]+:\d+: (error|warning): ", w)]
    assert any(w.startswith("digests/2026-02-01.md:7: error: paper 'No Link") for w in problems)
    assert any(w.startswith("digests/undated.md:1: error: no date") for w in problems)
    assert any(w.startswith("digests/2026-01-13.md:187: warning: extra part") for w in problems)
    assert len(problems) == 3
    # The summary comes last, once.
    assert warnings[-1] == "digests: 2 errors in 2 files (1 paper skipped), 1 warning"
    # SITE_URL was not set: said once.
    assert sum("SITE_URL is not set" in w for w in warnings) == 1
    # The valid paper beside the broken one is published.
    assert (tmp_path / "site" / "papers" / "2602.00002" / "index.html").is_file()


def test_unchanged_rebuild_reports_the_same_problems(tmp_path):
    """A build that finds nothing changed replays the diagnostics, without an archive: the same summary."""
    digests = tmp_path / "digests"
    shutil.copytree(WITH_ERRORS, digests)
    hook = load_hook()
    from generator.build import build

    first = build(digests, tmp_path / "docs", taxonomy_path=ROOT / "taxonomy.yml")
    again = build(digests, tmp_path / "docs", taxonomy_path=ROOT / "taxonomy.yml")
    assert again.archive is None and again.written.written == []  # nothing changed: nothing parsed
    assert hook.diagnostics_summary(first) == hook.diagnostics_summary(again) == "digests: 2 errors in 2 files (1 paper skipped), 0 warnings"


def test_strict_build_of_an_empty_archive_warns_and_succeeds(tmp_path, capfd):
    digests = tmp_path / "digests"
    digests.mkdir()
    site, mkdocs_warnings = build_site(digests, tmp_path / "work", strict=True, site_url="https://reader.example.org/")
    assert mkdocs_warnings == []
    assert (site / "index.html").is_file()
    printed = warnings_of(capfd.readouterr().err)
    assert len([w for w in printed if w.startswith("no digests in ")]) == 1
    assert not any("SITE_URL" in w for w in printed)  # the site's address is set
    assert not any(w.startswith("digests:") for w in printed)  # no problems, no summary


def test_strict_build_of_an_empty_archive_from_the_command_line(tmp_path):
    digests = tmp_path / "digests"
    digests.mkdir()
    run = mkdocs_build_strict(tmp_path, digests, SITE_URL="https://reader.example.org/")
    assert run.returncode == 0, run.stderr
    assert warnings_of(run.stderr) == [
        "no digests in digests/: the site is built without papers; put one digest per day there (.md or .txt)"
    ]
    assert (tmp_path / "site" / "index.html").is_file()


# -- mkdocs serve: one rebuild per edit ----------------------------------------------------------


@pytest.mark.parametrize(
    "path, rebuild",
    [
        ("about.md", True),
        ("assets/stylesheets/extra.css", True),
        ("notes/new-page.md", True),
        ("index.md", False),
        ("feed.xml", False),
        ("papers/2601.04211.md", False),
        ("days/index.md", False),
        ("feeds/fields/robotics.xml", False),
        (".generator/state.json", False),
        (".tmp-123-papers/2601.04211.md", False),
        (".tmp-123-index.md", False),
    ],
)
def test_serve_rebuilds_for_hand_written_files_only(tmp_path, path, rebuild):
    hook = load_hook()
    assert hook.is_hand_written(str(tmp_path), str(tmp_path / path)) is rebuild


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_generator_run_with_nothing_changed_writes_nothing_into_docs(tmp_path):
    """Not a page and not its cache: a rebuild that changes nothing touches nothing serve watches."""
    from generator.build import build

    docs = tmp_path / "docs"
    build(SAMPLE_DIGESTS, docs, taxonomy_path=ROOT / "taxonomy.yml")
    before = snapshot(docs)
    assert any(name.startswith(".generator") for name in before)
    result = build(SAMPLE_DIGESTS, docs, taxonomy_path=ROOT / "taxonomy.yml")
    assert result.written.written == []
    assert snapshot(docs) == before


class _Seen:
    """The docs/ changes the hook's watch asked a rebuild for, as they arrive."""

    def __init__(self):
        self.paths: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, server, event):
        # A new file may take the inode of one the build removed: polling reports a move to it.
        with self.changed:
            self.paths.append(os.fsdecode(getattr(event, "dest_path", "") or event.src_path))
            self.changed.notify_all()

    def wait_for(self, path: Path) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: str(path) in self.paths, timeout=30), self.paths


def test_serve_cycle_one_rebuild_per_digest_edit(tmp_path, monkeypatch):
    """A digest edit asks for one rebuild; the pages and cache it writes into docs/ ask for none."""
    from mkdocs.livereload import LiveReloadServer

    from generator.build import build

    digests = tmp_path / "digests"
    shutil.copytree(SAMPLE_DIGESTS, digests)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# 关于\n", encoding="utf-8")
    (docs / "me.md").write_text("# 我的\n", encoding="utf-8")
    monkeypatch.setenv("DAILY_PAPERS_DIGESTS", str(digests))
    taxonomy = ROOT / "taxonomy.yml"
    build(digests, docs, taxonomy_path=taxonomy)

    hook = load_hook()
    seen = _Seen()
    monkeypatch.setattr(hook, "request_rebuild", seen)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"), polling_interval=0.1)
    server.watch(str(docs))  # as `mkdocs serve` does before calling the hooks
    hook.on_serve(server, {"docs_dir": str(docs)}, builder=server.builder)
    assert str(docs) in server._watched_paths
    server.observer.start()
    try:
        # A digest edit: MkDocs' own watch of the digests asks for a rebuild.
        day = digests / "2026-01-14.md"
        day.write_text(day.read_text(encoding="utf-8").replace("**一句话核心贡献**：", "**一句话核心贡献**：改动。", 1), encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
            server._want_rebuild = False
        # The rebuild: the generator rewrites pages and its cache in docs/.
        result = build(digests, docs, taxonomy_path=taxonomy)
        assert result.written.written
        # Two hand-written edits after it: once the second is seen, every change the
        # rebuild made has been seen too (one queue, in the order the polls found them).
        for name in ("first.md", "second.md"):
            (tmp_path / name).write_text("# 手写\n", encoding="utf-8")
            os.replace(tmp_path / name, docs / name)  # whole at once: one change, not a creation and a write
            seen.wait_for(docs / name)
        assert sorted(set(seen.paths)) == [str(docs / "first.md"), str(docs / "second.md")]
    finally:
        server.observer.stop()
        server.observer.join()


def test_report_escapes_what_a_terminal_would_act_on(capfd):
    from generator.build import BuildResult
    from generator.model import Diagnostic

    hook = load_hook()
    hook.report_diagnostics(BuildResult(None, [Diagnostic("digests/x.md", 3, "error", "paper 'Evil\x1b[2J' has no link; skipped")]))
    printed = warnings_of(capfd.readouterr().err)
    assert printed[0].startswith("digests/x.md:3: error: paper 'Evil\\x1b[2J'")
    assert "\x1b" not in "".join(printed)
    assert printed[-1] == "digests: 1 error in 1 file (1 paper skipped), 0 warnings"
