"""generator/taxonomy.py: loading and validating the taxonomy, and classifying papers.

Most tests use the small taxonomy in tests/fixtures/taxonomy/small.yml, so they do
not change when the curated taxonomy.yml does; the last ones check the real one.
"""

from __future__ import annotations


import pytest

from conftest import FIXTURES, TAXONOMY
from generator.model import ERROR, WARNING
from generator.parse import parse_file
from generator.taxonomy import MAX_TAGS, Taxonomy, Term, load_taxonomy, split_phrases
from reference.plain import positions_everywhere

TAXONOMIES = FIXTURES / "taxonomy"


@pytest.fixture(scope="module")
def small() -> Taxonomy:
    taxonomy, diagnostics = load_taxonomy(TAXONOMIES / "small.yml")
    assert diagnostics == []
    return taxonomy


def _diagnostics(name: str) -> list[tuple[int, str, str]]:
    _, diagnostics = load_taxonomy(TAXONOMIES / name)
    assert all(d.path == str(TAXONOMIES / name) for d in diagnostics)
    return sorted((d.line, d.level, d.message) for d in diagnostics)


# -- loading ---------------------------------------------------------------------------


def test_small_taxonomy_loads(small):
    assert [f.slug for f in small.fields] == ["nlp", "computer-vision", "robotics", "speech-audio", "ai-for-science"]
    assert small.field("robotics") == Term(
        slug="robotics", zh="机器人", en="Robotics", aliases=("机器人", "Robotics", "机器人", "Robotics", "具身智能")
    )
    assert small.tag("grasping").field == "robotics"
    assert small.tag("benchmark").field == ""
    with pytest.raises(KeyError):
        small.tag("nlp")  # fields and tags have separate namespaces


def test_invalid_taxonomy_diagnostics_carry_yaml_lines():
    assert _diagnostics("invalid.yml") == [
        (7, ERROR, "duplicate field slug 'nlp'"),
        (11, ERROR, "slug 'Computer_Vision' must be lowercase ASCII words joined by '-'"),
        (16, ERROR, "tag 'agents' names unknown field 'robotics'"),
        (21, ERROR, "duplicate tag slug 'agents'"),
        (26, WARNING, "tag 'empty' has no aliases: only its names match"),
    ]


def test_invalid_taxonomy_keeps_the_valid_terms():
    taxonomy, _ = load_taxonomy(TAXONOMIES / "invalid.yml")
    assert [f.slug for f in taxonomy.fields] == ["nlp"]
    assert taxonomy.field("nlp").zh == "自然语言处理"  # the first of two duplicates wins
    # A tag naming an unknown field is kept, without the field.
    assert [(t.slug, t.field) for t in taxonomy.tags] == [("agents", ""), ("empty", "nlp")]


def test_yaml_syntax_error_has_its_line():
    [(line, level, message)] = _diagnostics("syntax_error.yml")
    assert (line, level) == (5, ERROR)
    assert message.startswith("invalid YAML")


def test_aliases_must_be_a_list_of_text():
    assert _diagnostics("aliases_string.yml") == [
        (2, ERROR, "aliases of 'nlp' must be a list"),
        (7, WARNING, "alias True of 'yes-no' is not text; quote it in the YAML"),
    ]
    taxonomy, _ = load_taxonomy(TAXONOMIES / "aliases_string.yml")
    # A string is one alias, never one alias per character.
    assert taxonomy.field("nlp").aliases == ("自然语言处理", "NLP", "自然语言")
    assert taxonomy.classify("语言", "", "").fields == ()
    assert taxonomy.tag("yes-no").aliases == ("是否", "Yes No", "no", "是否")


def test_top_level_must_be_a_mapping():
    assert _diagnostics("not_a_mapping.yml") == [(1, ERROR, "the taxonomy must be a mapping with 'fields' and 'tags' lists")]


def test_missing_taxonomy_is_an_error(tmp_path):
    taxonomy, diagnostics = load_taxonomy(tmp_path / "absent.yml")
    assert taxonomy.fields == () and taxonomy.tags == ()
    assert [(d.line, d.level) for d in diagnostics] == [(1, ERROR)]
    assert diagnostics[0].message.startswith("cannot read taxonomy")


def test_fields_must_be_a_list(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text("fields:\n  nlp: x\ntags: []\n", encoding="utf-8")
    taxonomy, diagnostics = load_taxonomy(path)
    assert taxonomy.fields == ()
    assert [(d.line, d.level, d.message) for d in diagnostics] == [(1, ERROR, "'fields' must be a list")]


# -- matching --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RL", ("reinforcement-learning",)),
        ("rl", ("reinforcement-learning",)),  # case-insensitive
        ("基于RL的训练", ("reinforcement-learning",)),  # CJK neighbours are boundaries
        ("RL-based training", ("reinforcement-learning",)),
        ("(RL)", ("reinforcement-learning",)),
        ("URL parsing", ()),  # not inside a word
        ("CURLS", ()),
        ("RL2", ()),
        ("RLHF", ("reinforcement-learning",)),  # through its own alias, not "RL"
        ("强化学习", ("reinforcement-learning",)),
        ("深度强化学习方法", ("reinforcement-learning",)),  # CJK aliases are substrings
        ("agent", ("llm-agents",)),
        ("agentic", ()),
        ("multi-agent", ("llm-agents",)),
    ],
)
def test_tag_alias_matching(small, text, expected):
    assert small.classify(text, "", "").tags == expected


def test_fields_are_ordered_by_first_position(small):
    assert small.classify("语音合成、计算机视觉", "", "").fields == ("speech-audio", "computer-vision")
    assert small.classify("计算机视觉、语音合成", "", "").fields == ("computer-vision", "speech-audio")
    # A field named twice keeps its first position.
    assert small.classify("机器人、NLP、机器人", "", "").fields == ("robotics", "nlp")


def test_fields_come_only_from_the_field_text_when_it_names_one(small):
    result = small.classify("NLP", "A Speech Model", "用于语音合成")
    assert result.fields == ("nlp",)
    assert result.tags == ("speech-synthesis",)  # tags also come from title and contribution


def test_fields_fall_back_to_the_fields_of_tags(small):
    # "灵巧手" is only an alias of the grasping tag, whose field is robotics.
    result = small.classify("灵巧手操作、强化学习", "", "")
    assert result.fields == ("robotics", "nlp")
    assert result.tags == ("grasping", "reinforcement-learning")


def test_fields_fall_back_to_title_and_contribution(small):
    result = small.classify("某个全新领域", "Protein design", "提出一种蛋白质设计方法")
    assert result.fields == ("ai-for-science",)


def test_tags_are_ordered_field_text_first(small):
    result = small.classify("评测基准", "Video Generation with Diffusion", "")
    assert result.tags == ("benchmark", "video-generation", "diffusion-models")


def test_bold_markers_do_not_hide_aliases(small):
    assert small.classify("**NLP** - **智能体**", "", "").fields == ("nlp",)


def test_unmapped_keywords(small):
    result = small.classify("计算机视觉 - 交互式类人视频生成（Interactive Humanoid）、AIGC、多模态实时交互系统。", "", "")
    assert result.fields == ("computer-vision",)
    # "交互式类人视频生成" contains the alias 视频生成, so it is mapped.
    assert result.keywords == ("AIGC", "多模态实时交互系统")
    assert small.unmapped_phrases("NLP、强化学习、量子计算") == ["量子计算"]


# -- split_phrases on real field lines (from ../shared/digests) ------------------------


@pytest.mark.parametrize(
    ("line", "phrases"),
    [
        (
            "计算机视觉 - 交互式类人视频生成（Interactive Humanoid Video Generation）、AIGC、多模态实时交互系统。",
            ["计算机视觉", "交互式类人视频生成（Interactive Humanoid Video Generation）", "AIGC", "多模态实时交互系统"],
        ),
        (
            "计算机图形学与计算机视觉 - **4D生成动画**、**自动骨骼绑定 (Auto-Rigging)**、**3D 运动合成**。",
            ["计算机图形学与计算机视觉", "4D生成动画", "自动骨骼绑定 (Auto-Rigging)", "3D 运动合成"],
        ),
        (
            "**NLP - 大模型后训练 (Post-training) / 强化学习 (Reinforcement Learning) / 复杂推理 (Complex Reasoning)**",
            ["NLP", "大模型后训练 (Post-training)", "强化学习 (Reinforcement Learning)", "复杂推理 (Complex Reasoning)"],
        ),
        (
            "**金融自然语言处理 (Financial NLP)**、**数据合成与质量控制 (Data-Centric AI / LLM-as-Judge)**",
            ["金融自然语言处理 (Financial NLP)", "数据合成与质量控制 (Data-Centric AI / LLM-as-Judge)"],
        ),
        (
            "**计算机视觉 - 统一图像生成与编辑** (Computer Vision - Unified Image Generation and Editing)，具体涉及基于扩散Transformer",
            ["计算机视觉", "统一图像生成与编辑 (Computer Vision - Unified Image Generation and Editing)", "具体涉及基于扩散Transformer"],
        ),
        (
            "NLP-大模型智能体（LLM Agents）、科学推理（AI for Science）、工具学习（Tool Learning）。主要应用于物理、化学",
            ["NLP-大模型智能体（LLM Agents）", "科学推理（AI for Science）", "工具学习（Tool Learning）", "主要应用于物理", "化学"],
        ),
        (
            "*   **遥感图像处理 (Remote Sensing)**\n*   **计算机视觉 (多模态分割)**\n*   **视觉-语言模型 (Vision-Language Models, VLMs)**",
            ["遥感图像处理 (Remote Sensing)", "计算机视觉 (多模态分割)", "视觉-语言模型 (Vision-Language Models, VLMs)"],
        ),
        (
            "**计算机视觉 - 图像生成与编辑 (AIGC)**\n具体涉及基于扩散模型的文本引导图像编辑，特别是针对特定对象（如颜色、材质、形状）。",
            ["计算机视觉", "图像生成与编辑 (AIGC)", "具体涉及基于扩散模型的文本引导图像编辑", "特别是针对特定对象（如颜色、材质、形状）"],
        ),
        # A dash inside parentheses is not the broad-area separator.
        ("多模态大模型（Vision - Language）、AIGC", ["多模态大模型（Vision - Language）", "AIGC"]),
        ("视觉-语言理解与生成、OCR 文档理解", ["视觉-语言理解与生成", "OCR 文档理解"]),
        ("", []),
    ],
)
def test_split_phrases(line, phrases):
    assert split_phrases(line) == phrases


def test_split_phrases_on_every_shared_field_line(shared_digests):
    for path in sorted(shared_digests.iterdir()):
        digest, _ = parse_file(path)
        for paper in digest.papers:
            phrases = split_phrases(paper.field_text)
            assert phrases, paper.arxiv_id
            for phrase in phrases:
                assert "**" not in phrase and "\n" not in phrase
                assert phrase == phrase.strip()
                assert not phrase.startswith(("* ", "- ")), (paper.arxiv_id, phrase)


# -- the curated taxonomy.yml ----------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Taxonomy:
    if not TAXONOMY.is_file():
        pytest.skip("taxonomy.yml is not written yet")
    taxonomy, diagnostics = load_taxonomy(TAXONOMY)
    assert [str(d) for d in diagnostics if d.level == ERROR] == []
    return taxonomy


def test_real_taxonomy_size(real):
    assert 10 <= len(real.fields) <= 20
    assert 40 <= len(real.tags) <= 120
    for term in real.fields + real.tags:
        assert term.zh and term.en


def _classify_folder(taxonomy, folder):
    results = {}
    for path in sorted(folder.iterdir()):
        digest, _ = parse_file(path)
        for paper in digest.papers:
            results[paper.arxiv_id] = taxonomy.classify(paper.field_text, paper.title, paper.contribution, paper.part("innovations"))
    return results


def test_every_shared_paper_gets_a_field_and_two_to_six_tags(real, shared_digests):
    for arxiv_id, result in _classify_folder(real, shared_digests).items():
        assert len(result.fields) >= 1, arxiv_id
        assert 2 <= len(result.tags) <= MAX_TAGS, (arxiv_id, result.tags)


def test_tags_are_capped_most_specific_first(real, shared_digests):
    results = _classify_folder(real, shared_digests)
    step3 = results["2601.09668"]  # STEP3-VL: twelve tags before the cap
    assert len(step3.unranked_tags) > MAX_TAGS
    assert step3.tags == ("multimodal-llm", "vision-language-models", "math-reasoning", "scientific-discovery", "ocr-document", "gui-agents")
    for arxiv_id, result in results.items():
        kinds = [real.tag(slug).kind for slug in result.tags]
        # Generic tags (reasoning, dataset, benchmark, ...) come last.
        assert kinds == sorted(kinds, key=lambda kind: kind == "generic"), (arxiv_id, result.tags)
    assert results["2601.10103"].tags[:2] == ("digital-human", "video-generation")  # FlowAct-R1


@pytest.mark.parametrize(
    ("arxiv_id", "wrong"),
    [
        ("2601.10124", "foundation-models"),  # VQ-Seg uses a foundation model, does not release one
        ("2601.11777", "foundation-models"),  # MedSAM-Lite distils one
        ("2601.10592", "foundation-models"),  # Action100M: data for training them
        ("2601.10061", "foundation-models"),  # CoF-T2I applies video models
        ("2601.10103", "animation"),  # FlowAct-R1 is video generation, not rigging
        ("2601.09668", "multimodal-generation"),  # "视觉-语言理解与生成" is not unified generation
    ],
)
def test_dubious_tags_of_shared_papers_are_gone(real, shared_digests, arxiv_id, wrong):
    assert wrong not in _classify_folder(real, shared_digests)[arxiv_id].unranked_tags


def test_a_foundation_model_release_keeps_its_tag(real, shared_digests):
    results = _classify_folder(real, shared_digests)
    assert "foundation-models" in results["2601.10547"].tags  # HeartMuLa: a family of open music foundation models


# -- other writers' styles (tests/fixtures/styles/) ------------------------------------

STYLES = FIXTURES / "styles"


@pytest.fixture(scope="module")
def styles(real):
    return _classify_folder(real, STYLES)


def test_styles_fixtures_are_several_valid_digests(styles):
    from conftest import load_digests

    digests, diagnostics = load_digests(STYLES)
    assert len(digests) == 5 and len({d.date for d in digests}) == 5
    assert all(4 <= len(d.papers) <= 8 for d in digests)
    assert [d for d in diagnostics if d.level == ERROR] == []
    assert len(styles) == sum(len(d.papers) for d in digests)


def test_other_styles_get_fields_and_tags(styles):
    with_field = sum(1 for r in styles.values() if r.fields)
    with_two_tags = sum(1 for r in styles.values() if len(r.tags) >= 2)
    assert with_field >= 0.95 * len(styles), with_field
    assert with_two_tags >= 0.90 * len(styles), with_two_tags
    assert all(len(r.tags) <= MAX_TAGS for r in styles.values())


@pytest.mark.parametrize(
    ("arxiv_id", "field", "tags"),
    [
        ("2602.01002", "medical-ai", {"medical-imaging", "image-segmentation"}),  # keyword list: 医学图像、分割
        ("2602.01005", "data-mining", {"time-series"}),
        ("2602.02001", "efficient-ml", {"model-architecture"}),  # English field line ("Efficient Inference")
        ("2602.02002", "medical-ai", {"image-segmentation"}),
        ("2602.02006", "nlp", {"quantization", "fine-tuning"}),
        ("2602.03001", "computer-vision", {"video-generation", "diffusion-models"}),  # no field part
        ("2602.03003", "ai-for-science", {"life-sciences"}),
        ("2602.03004", "ai-for-science", {"weather-climate"}),
        ("2602.03005", "ai-safety", {"jailbreak", "red-teaming"}),
        ("2602.04001", "nlp", {"question-answering"}),  # dialogue topic segmentation
        ("2602.04002", "nlp", {"question-answering"}),  # dialogue state tracking
        ("2602.04003", "speech-audio", {"speech-recognition"}),
        ("2602.05003", "ai-safety", {"prompt-injection", "agent-safety"}),
    ],
)
def test_other_styles_get_the_right_field_and_tags(styles, arxiv_id, field, tags):
    result = styles[arxiv_id]
    assert result.fields[:1] == (field,), result.fields
    assert tags <= set(result.tags), result.tags


@pytest.mark.parametrize(
    ("arxiv_id", "wrong"),
    [
        ("2602.04001", {"image-segmentation", "detection-tracking", "computer-vision"}),  # 话题分割
        ("2602.04002", {"detection-tracking", "distributed-training", "computer-vision"}),  # 对话状态跟踪, Zero-Shot
        ("2602.04003", {"image-segmentation", "computer-vision"}),  # 语音分割
        ("2602.05001", {"prompt-injection"}),  # visual features "注入" a language model
        ("2602.05002", {"prompt-injection"}),  # "将文本指令注入 Q-Former"
        ("2602.01001", {"optimization-theory", "ml-foundations"}),  # a language model "as an optimizer"
        ("2602.01005", {"code-generation", "code-software"}),  # 重编程 (reprogramming)
        ("2602.02002", {"planning-long-horizon"}),  # 长程依赖
        ("2602.03002", {"multilingual"}),  # a translation API among the tools
        ("2602.02001", {"foundation-models"}),
    ],
)
def test_words_out_of_context_give_no_tag(styles, arxiv_id, wrong):
    result = styles[arxiv_id]
    assert not wrong & set(result.unranked_tags + result.fields), (result.fields, result.unranked_tags)


def test_a_weak_alias_counts_with_a_context_word_or_its_field_named(real):
    assert "image-segmentation" in real.classify("医学图像、分割", "", "").tags
    assert "image-segmentation" in real.classify("计算机视觉 (多模态分割)", "", "").tags  # the field line names CV
    assert "image-segmentation" not in real.classify("对话系统、话题分割", "", "").tags
    assert "prompt-injection" in real.classify("大模型安全、提示注入", "", "").tags
    assert "prompt-injection" not in real.classify("多模态", "", "", "将指令注入视觉编码器，再把提示注入语言模型").tags


def test_the_body_needs_two_hits_and_only_completes_a_thin_summary(real):
    assert real.classify("", "", "", "基于扩散模型").tags == ()
    assert real.classify("", "", "", "扩散模型去噪；扩散步数减少").tags == ("diffusion-models",)
    # Two tags from the summary already: the body is not read.
    result = real.classify("视频生成、数字人", "", "", "扩散模型去噪；扩散步数减少")
    assert "diffusion-models" not in result.tags


def test_fields_come_from_the_body_when_nothing_else_names_one(real):
    assert real.classify("", "A Study", "我们研究一个问题", "蛋白质结构；蛋白质对接").fields == ("ai-for-science",)


def test_kinds_weak_aliases_and_context_load(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text(
        "fields:\n  - slug: cv\n    aliases: [视觉]\ntags:\n"
        "  - slug: seg\n    field: cv\n    kind: method\n    aliases: [图像分割]\n    weak: [分割]\n    context: [图像]\n"
        "  - slug: odd\n    kind: strange\n    aliases: [奇怪]\n    weak: [怪]\n",
        encoding="utf-8",
    )
    taxonomy, diagnostics = load_taxonomy(path)
    assert taxonomy.tag("seg").kind == "method" and taxonomy.tag("seg").weak == ("分割",) and taxonomy.tag("seg").context == ("图像",)
    assert taxonomy.tag("odd").kind == "topic"
    assert sorted((d.level, d.message) for d in diagnostics) == [
        (WARNING, "kind 'strange' of 'odd' is not one of topic, method, generic: read as topic"),
        (WARNING, "weak aliases of 'odd' have no context words: they never match"),
    ]
    assert taxonomy.classify("图像的分割", "", "").tags == ("seg",)
    assert taxonomy.classify("话题的分割", "", "").tags == ()


@pytest.mark.parametrize(
    ("field_text", "field"),
    [
        ("机器人学 - 灵巧操作（Dexterous Manipulation）、触觉感知", "robotics"),
        ("语音处理 - 流式语音合成（Streaming TTS）、端侧部署", "speech-audio"),
        ("推荐系统 - 生成式召回（Generative Retrieval）", "recommendation-retrieval"),
        ("软件工程 - 代码生成（Code Generation）、程序修复", "code-software"),
        ("AI for Science - 晶体结构生成、材料发现", "ai-for-science"),
    ],
)
def test_real_taxonomy_generalises_to_unseen_areas(real, field_text, field):
    fields = real.classify(field_text, "", "").fields
    assert fields[:1] == (field,), fields


def test_unknown_field_text_keeps_its_phrases_as_keywords(real):
    result = real.classify("古籍修复、书法字体", "", "")
    assert result.keywords == ("古籍修复", "书法字体")


def test_matcher_finds_what_looking_everywhere_finds(shared_or_sample_texts):
    taxonomy, _ = load_taxonomy(TAXONOMY)
    for terms, matcher in ((taxonomy.tags, taxonomy._tag_matcher), (taxonomy.fields, taxonomy._field_matcher)):
        for text in shared_or_sample_texts:
            assert matcher.positions(text) == positions_everywhere(terms, text), text


@pytest.fixture(scope="module")
def shared_or_sample_texts() -> list[str]:
    from conftest import SAMPLE_DIGESTS, SHARED_DIGESTS

    folders = [SAMPLE_DIGESTS] + ([SHARED_DIGESTS] if SHARED_DIGESTS.is_dir() else [])
    texts = ["URL 与 RL", "rl", "RLHF 和 RL、VLM-R1", "三维重建（3D）", "C++ 与 .NET", ""]
    for folder in folders:
        for path in sorted(folder.iterdir()):
            digest, _ = parse_file(path)
            for paper in digest.papers:
                texts += [paper.title, paper.field_text, paper.contribution]
    return texts
