"""The prebuilt search index and the terminal search."""

from __future__ import annotations

import json
import re
import subprocess
import shutil
from pathlib import Path

import pytest

from generator import search
from generator.build import build
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
WORKER = ROOT / "templates" / "theme" / "assets" / "javascripts" / "search-worker.js"


def test_segment_is_longest_match_against_vocabulary():
    vocabulary = {"视频", "视频生成", "生成", "医学", "图像", "分割"}
    assert search.segment("视频生成", vocabulary) == ["视频生成"]
    assert search.segment("医学图像分割", vocabulary) == ["医学", "图像", "分割"]
    assert search.segment("未知视频", vocabulary) == ["视频"]


@pytest.fixture(scope="module")
def shared_docs(tmp_path_factory) -> Path:
    """The real digests and the samples, built (the digests of ../shared are not copied into the repo)."""
    shared = ROOT.parent / "shared" / "digests"
    if not shared.is_dir():
        pytest.skip("../shared/digests is absent: search quality is measured on the real digests")
    digests = tmp_path_factory.mktemp("digests")
    for source in (shared, SAMPLE_DIGESTS):
        for file in source.iterdir():
            shutil.copy(file, digests / file.name)
    docs = tmp_path_factory.mktemp("docs")
    build(digests, docs, ROOT / "taxonomy.yml")
    return docs


@pytest.mark.parametrize(
    "query, first",
    [
        ("FlowAct-R1", "2601.10103"),
        ("MatchTIR", "2601.10712"),
        ("matchtir", "2601.10712"),
        ("2601.10103", "2601.10103"),
        ("口型", "2601.10103"),
        ("口型同步", "2601.10103"),
        ("VQ-Seg", "2601.10124"),
        ("M^4olGen", "2601.10131"),
        ("OSWorld", "2601.09923"),
        ("DINOv2", "2601.10124"),
        ("MIMIC-IV", "2601.09876"),
    ],
)
def test_navigational_queries_put_the_paper_first(shared_docs, query, first):
    assert search.search_archive(shared_docs, query)[0].arxiv_id == first


@pytest.mark.parametrize(
    "query, expected",
    [
        ("视频生成", {"2601.10103", "2601.09881", "2601.10553", "2601.10061"}),
        ("三维重建", {"2601.11345"}),
        ("医学图像分割", {"2601.10124", "2601.11777"}),
        ("GRPO", {"2601.10712"}),
    ],
)
def test_topical_queries_recall_in_top_ten(shared_docs, query, expected):
    found = {hit.arxiv_id for hit in search.search_archive(shared_docs, query, limit=10)}
    assert expected <= found


def test_cli_search_prints_id_and_title(shared_docs, capsys):
    assert main(["search", "MatchTIR", "--docs", str(shared_docs), "--limit", "1"]) == 0
    assert capsys.readouterr().out == (
        "2601.10712  MatchTIR: Fine-Grained Supervision for Tool-Integrated Reasoning via Bipartite Matching\n"
    )


def test_cli_search_filters(shared_docs, capsys):
    main(["search", "三维重建", "--docs", str(shared_docs), "--since", "2026-01-19", "--limit", "1"])
    assert capsys.readouterr().out.split("  ")[0] == "2601.11345"
    main(["search", "FlowAct-R1", "--docs", str(shared_docs), "--until", "2026-01-17"])
    assert "2601.10103" not in capsys.readouterr().out
    main(["search", "视频生成", "--docs", str(shared_docs), "--field", "medical-ai"])
    assert "2601.10103" not in capsys.readouterr().out
    main(["search", "视频生成", "--docs", str(shared_docs), "--tag", "video-generation", "--limit", "1"])
    assert capsys.readouterr().out.startswith("2601.")
    main(["search", "GRPO", "--docs", str(shared_docs), "--tag", "no-such-tag"])
    assert capsys.readouterr().out == ""


def test_worker_speaks_materials_message_types():
    source = WORKER.read_text(encoding="utf-8")
    assert "var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;" in source
    # The installed theme's bundle still posts the same shapes (pinned: Material is in maintenance).
    material = Path(__import__("material").__file__).parent / "templates" / "assets" / "javascripts"
    bundle = next(material.glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert "{type:0,data:{config:" in bundle
    assert re.search(r"\.type===1\}", bundle) and re.search(r"\.type===3\}", bundle)
    assert re.search(r"type:2,data:", bundle)


# -- the worker's own functions, run in Node -------------------------------------------------------

_WORKER_HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const context = { self: { location: { href: "http://localhost/assets/javascripts/search-worker.js" } },
                  importScripts: () => undefined, postMessage: () => undefined, addEventListener: () => undefined,
                  URL, Promise, setTimeout, console };
context.self.self = context.self;
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context);
const calls = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(calls.map(([name, ...args]) => vm.runInContext(name, context)(...args))));
"""


def run_worker_functions(calls: list) -> list:
    """Call functions of the search worker in Node: ``[[name, *args], ...]`` -> their results."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the worker's functions are tested in Node")
    done = subprocess.run([node, "-e", _WORKER_HARNESS, str(WORKER), json.dumps(calls)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_highlight_marks_words_and_never_cuts_an_entity():
    parsed = {"latin": ["amp", "lt", "gt"], "ids": [], "han": ["口型"]}
    assert run_worker_functions([["highlight", "a &amp; <b> & 口型同步 AMP", parsed]]) == [
        "a &amp;<mark>amp</mark>; &lt;b&gt; &amp; <mark>口型</mark>同步 <mark>AMP</mark>"
    ]


def test_highlight_prefers_the_longer_word_and_escapes_markup():
    parsed = {"latin": ["flow", "flowact-r1"], "ids": [], "han": []}
    assert run_worker_functions([["highlight", "FlowAct-R1 <script>", parsed]]) == [
        "<mark>FlowAct-R1</mark> &lt;script&gt;"
    ]


def test_words_that_name_object_properties_are_query_terms():
    assert run_worker_functions([["latinTerms", "constructor toString __proto__ hasOwnProperty the"]]) == [
        ["constructor", "tostring", "proto", "hasownproperty"]
    ]


# -- the whole worker in Node, against a built index: the terminal's order ------------------------

_QUERY_HARNESS = r"""
const vm = require("vm"), fs = require("fs"), path = require("path");
const [worker, docs, lunrFile, queries] = [process.argv[1], process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
const context = { self: { location: { href: "http://localhost/assets/javascripts/search-worker.js" } },
                  postMessage: () => undefined, addEventListener: () => undefined, URL, Promise, setTimeout, console };
context.self.self = context.self;
const loaded = [];
context.importScripts = (...urls) => {
  for (const url of urls) {
    const file = new URL(url).pathname.slice(1);
    loaded.push(file);
    vm.runInContext(fs.readFileSync(file === "assets/javascripts/lunr.js" ? lunrFile : path.join(docs, file), "utf8"), context);
  }
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(worker, "utf8"), context);
(async () => {
  await vm.runInContext("started", context);
  const out = [];
  for (const entry of queries) {
    // [query, newer]: the query searched after `newer` was typed over it.
    const [query, newest] = Array.isArray(entry) ? entry : [entry, entry];
    loaded.length = 0;
    const ranked = await vm.runInContext("ranked", context)(query);
    vm.runInContext("lastQuery = " + JSON.stringify(newest), context);
    const result = await vm.runInContext("search", context)(query);
    out.push({ hits: ranked.hits.map(h => [h.number, h.score]), items: result && result.items.map(i => i[0]), loaded: loaded.slice() });
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""

LUNR_JS = Path(__import__("mkdocs").__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"


def run_worker_queries(docs: Path, queries: list[str]) -> list[dict]:
    """The worker's ranking and result items for ``queries`` over the index in ``docs``, in Node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the worker is tested in Node")
    done = subprocess.run([node, "-e", _QUERY_HARNESS, str(WORKER), str(docs), str(LUNR_JS), json.dumps(queries)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


ORDER_QUERIES = ["口型", "FlowAct-R1", "GRPO 工具调用", "视频生成", "三维重建", "2601.10103", "医学图像分割", "flow", "模型 训练"]


def test_worker_ranks_as_the_terminal_does(shared_docs):
    worker = run_worker_queries(shared_docs, ORDER_QUERIES)
    for query, answer in zip(ORDER_QUERIES, worker):
        expected = search.rank(search.IndexReader(shared_docs / "search"), query)
        assert [n for n, _ in answer["hits"]] == [n for n, _ in expected], query
        assert [s for _, s in answer["hits"]] == pytest.approx([s for _, s in expected], rel=1e-9)
        assert answer["hits"], query


def test_result_says_which_part_matched_and_marks_the_words(shared_docs):
    [answer] = run_worker_queries(shared_docs, ["口型"])
    first = answer["items"][0]
    assert first["location"] == "papers/2601.10103/"
    assert "使用指南 · " in first["text"] or "主要创新点 · " in first["text"]
    assert "<mark>口型</mark>" in first["text"]


def test_a_query_reads_the_manifest_its_buckets_and_its_papers(shared_docs):
    [answer] = run_worker_queries(shared_docs, ["口型"])
    buckets = [f for f in answer["loaded"] if f.startswith("search/t/")]
    papers = [f for f in answer["loaded"] if f.startswith("search/d/")]
    assert len(buckets) == 1 and len(papers) == len(answer["items"])


def test_a_query_typed_over_fetches_no_papers_and_is_not_answered(shared_docs):
    [answer] = run_worker_queries(shared_docs, [["口型", "口型同"]])
    assert answer["hits"] and answer["items"] is None
    assert [f for f in answer["loaded"] if f.startswith("search/d/")] == []


# -- held-out words: each occurs in one paper only, outside its title, field line and contribution ----

# Picked by a script over ../shared/digests and the samples: a Chinese word of
# the index (jieba search mode) in the usage guide, innovations or results of
# exactly one paper and in no title, field line or contribution.
HELD_OUT = {
    "换行符": "2601.10201",  # 使用指南
    "子目标": "2601.07641",  # 使用指南
    "原子化": "2601.07641",  # 使用指南
    "自由度": "2601.06509",  # 使用指南
    "脆弱性": "2601.10527",  # 主要创新点
    "大部分": "2601.06509",  # 主要创新点
    "防御机制": "2601.09923",  # 主要创新点
    "复杂性": "2601.09667",  # 主要创新点
    "依从性": "2601.09881",  # 实验效果
    "字符识别": "2601.09668",  # 实验效果
    "得益于": "2601.10592",  # 实验效果
    "近一半": "2601.04211",  # 实验效果
}


@pytest.mark.parametrize("word", sorted(HELD_OUT))
def test_a_word_from_deep_in_one_report_finds_it(shared_docs, word):
    found = [hit.arxiv_id for hit in search.search_archive(shared_docs, word, limit=3)]
    assert HELD_OUT[word] in found
