"""An incremental build equals a cold build, after any history of inputs.

Hypothesis draws histories of digests: a day added, a paper returning on a
later day (with the same or a new summary), a part or a field line edited, a
mention of another paper's name added, a day removed, the taxonomy changed.
After every step the generated files of the one docs/ folder that saw the
whole history are compared, byte for byte, with a cold build of the same
inputs into a fresh folder. ``make test`` runs a few histories;
``make fuzz`` (``HYPOTHESIS_PROFILE=fuzz``) many more.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TAXONOMY
from generator.build import build

EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 6

FIELDS = [
    "计算机视觉 - 视频生成（Video Generation）、扩散模型",
    "NLP - 大模型推理（LLM Reasoning）、强化学习",
    "机器人 - 具身智能、模仿学习",
    "医学影像 - 图像分割（Segmentation）",
    "语音识别、多语言",
]
NAMES = ["FlowAct-R1", "MatchTIR", "VQ-Seg", "StepVerify", "TideCast-2", "AtomDiff", "GraspFormer", "DriveVLA-0"]
CONTRIBUTIONS = [
    "提出 {name}，以流式方式实时生成交互视频。",
    "提出 {name}，用过程奖励改进工具调用的推理。",
    "提出一种名为 {name} 的半监督分割方法。",
    "提出 {name}，在双臂操作任务上泛化更好。",
]


def paper_text(number: int, version: int, field: int, mention: int | None) -> str:
    name = NAMES[number % len(NAMES)]
    contribution = CONTRIBUTIONS[(number + version) % len(CONTRIBUTIONS)].format(name=name)
    if mention is not None and NAMES[mention % len(NAMES)] != name:
        contribution += f"效果优于 {NAMES[mention % len(NAMES)]}。"
    return f"""## 📄 {name}: Paper Number {number}

- **链接**: https://huggingface.co/papers/2601.{10000 + number}
- **阅读来源**: {"HTML" if version % 2 else "ArXiv Abs"}

1. **应用领域**：{FIELDS[field % len(FIELDS)]}。

2. **一句话核心贡献**：{contribution}

3. **使用指南**：
   *   **输入**：第 {version} 版的说明。

4. **主要创新点**：
   1.  **模块**：创新 {number}-{version}。

5. **实验效果**：
   *   指标提升 {number + version}%。
"""


def digest_text(day: int, papers: list[tuple[int, int, int, int | None]]) -> str:
    date = f"2026-01-{day:02d}"
    separator = "\n" + "=" * 60 + "\n\n"
    header = f"# Hugging Face Daily Papers Report\n**Date**: {date}\n**Source URL**: https://huggingface.co/papers/date/{date}\n"
    return header + separator + separator.join(paper_text(*paper) for paper in papers)


paper = st.tuples(st.integers(0, 11), st.integers(0, 3), st.integers(0, 4), st.none() | st.integers(0, 7))
day_papers = st.lists(paper, min_size=1, max_size=4, unique_by=lambda p: p[0])
step = st.one_of(
    st.tuples(st.just("add day"), st.integers(1, 28), day_papers),
    st.tuples(st.just("edit paper"), st.integers(0, 100), paper),  # a part, the field line or a mention changes
    st.tuples(st.just("remove day"), st.integers(0, 100)),
    st.tuples(st.just("taxonomy"), st.booleans()),
)


def apply(state: dict, move) -> None:
    """One step of a history on ``state``: {day: papers} and whether the taxonomy has an extra alias."""
    kind = move[0]
    days = state["days"]
    if kind == "add day":
        days[move[1]] = move[2]
    elif kind == "edit paper" and days:
        day = sorted(days)[move[1] % len(days)]
        number = move[2][0]
        days[day] = [p for p in days[day] if p[0] != number] + [move[2]]
    elif kind == "remove day" and days:
        del days[sorted(days)[move[1] % len(days)]]
    elif kind == "taxonomy":
        state["alias"] = move[1]


def write_inputs(state: dict, digests: Path, taxonomy: Path) -> None:
    shutil.rmtree(digests, ignore_errors=True)
    digests.mkdir()
    for day, papers in state["days"].items():
        (digests / f"digest-{day:02d}.md").write_text(digest_text(day, papers), encoding="utf-8")
    text = TAXONOMY.read_text(encoding="utf-8")
    if state["alias"]:
        # An alias that puts 语音识别 papers into one more field: every page that lists them changes.
        assert "aliases: [自然语言处理," in text
        text = text.replace("aliases: [自然语言处理,", "aliases: [自然语言处理, 语音识别,", 1)
    taxonomy.write_text(text, encoding="utf-8")


def generated(docs: Path) -> dict[str, bytes]:
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and ".generator" not in p.relative_to(docs).parts
    }


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(history=st.lists(step, min_size=1, max_size=5), start=st.dictionaries(st.integers(1, 28), day_papers, min_size=1, max_size=3))
def test_every_step_of_any_history_builds_what_a_cold_build_builds(history, start):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        digests, taxonomy, docs = root / "digest-files", root / "taxonomy.yml", root / "docs"
        state = {"days": dict(start), "alias": False}
        write_inputs(state, digests, taxonomy)
        build(digests, docs, taxonomy)
        for number, move in enumerate(history):
            apply(state, move)
            write_inputs(state, digests, taxonomy)
            build(digests, docs, taxonomy)
            cold = root / f"cold-{number}"
            build(digests, cold, taxonomy)
            assert generated(docs) == generated(cold), f"after {move}"
