"""generator/tokens.py: Chinese words, Latin terms, name tokens and query terms."""

from __future__ import annotations

from generator.tokens import han_words, latin_terms, name_like_terms, name_tokens, query_terms


def test_latin_terms_keep_compound_names_and_parts():
    assert latin_terms("FlowAct-R1 with MIMIC-IV and GPT-5.2") == [
        "flowact-r1", "flowact", "r1", "mimic-iv", "mimic", "iv", "gpt-5.2", "gpt", "5", "2",
    ]


def test_fullwidth_terms_read_as_ascii():
    assert latin_terms("用 ＧＲＰＯ 训练") == ["grpo"]


def test_name_like_terms_skip_plain_words():
    assert name_like_terms("we use GRPO on OSWorld with DINOv2 and A100 for training") == [
        "grpo", "osworld", "dinov2", "a100",
    ]


def test_name_tokens_are_word_bounded():
    assert name_tokens("相比 FlowAct-R1，FlowAct-R1-v2 与 M^4olGen. 以及 (VQ-Seg)") == ["FlowAct-R1", "FlowAct-R1-v2", "M^4olGen", "VQ-Seg"]


def test_query_terms_split_ids_latin_and_han():
    assert query_terms("2601.10103 GRPO 视频生成") == (["2601.10103"], ["grpo"], ["视频生成"])


def test_han_words_include_the_parts_of_longer_words():
    words = han_words("交互式类人视频生成")
    assert "视频" in words and "生成" in words
    assert han_words("GRPO only") == []
