"""The benchmark runner on gold FOL: accuracy bars, used-premise soundness, resume, bad input."""

from __future__ import annotations

import json

import pytest

from benchmarks import run as runner
from benchmarks import run_provider
from benchmarks.datasets import EntailmentItem
from benchmarks.datasets import load_folio
from benchmarks.metering import Metered
from benchmarks.metering import MeteredCache
from benchmarks.run_provider import close_provider
from solvers import Verdict
from solvers import get_solver
from solvers import parse
from tests.helpers import cnl_proofwriter_args


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("folio-gold")
    assert (
        runner.main(["--dataset", "folio", "--translations", "gold", "--out", str(out), "--quiet"])
        == 0
    )
    return out


def test_gold_folio_meets_the_bar(gold_run):
    results = json.loads((gold_run / "results.json").read_text())
    assert results["n"] == 204
    assert results["executable_rate"] >= 0.995
    assert results["accuracy"] >= 0.955
    assert results["manifest"]["solver_versions"]["z3"]
    assert set(results["per_label"]) >= {"True", "False", "Uncertain"}
    assert results["timing"]["per_item_median_s"] > 0


def test_linc182_subset_is_solved_exactly(tmp_path):
    code = runner.main(
        [
            "--dataset",
            "folio",
            "--subset",
            "linc182",
            "--translations",
            "gold",
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["n"] == 182 and results["accuracy"] >= 0.99


@pytest.mark.parametrize("solver_name", ["z3", "prover9"])
def test_used_premises_alone_give_the_same_verdict_on_gold_folio(solver_name):
    solver = get_solver(solver_name)
    checked = 0
    for item in load_folio("all"):
        premises = [parse(t, repair=True).formula for t in item.premises_fol]
        goal = parse(item.conclusion_fol, repair=True).formula
        full = solver.entails(premises, goal, 10.0)
        if full.verdict not in (Verdict.TRUE, Verdict.FALSE):
            continue
        used = [premises[i] for i in full.used_premises]
        again = solver.entails(used, goal, 10.0)
        assert again.verdict == full.verdict, (item.id, full.used_premises)
        checked += 1
    assert checked > 100


def test_rerun_resumes_and_tolerates_a_torn_line(gold_run, tmp_path):
    lines = (gold_run / "samples.jsonl").read_text().splitlines(keepends=True)
    partial = tmp_path / "samples.jsonl"
    partial.write_text("".join(lines[:50]) + lines[50][:20])  # killed mid-write
    (tmp_path / "stack.json").write_text((gold_run / "stack.json").read_text())
    assert (
        runner.main(
            ["--dataset", "folio", "--translations", "gold", "--out", str(tmp_path), "--quiet"]
        )
        == 0
    )
    ids = [json.loads(line)["id"] for line in partial.read_text().splitlines()]
    assert len(ids) == 204 and len(set(ids)) == 204


def test_saved_translations_are_re_solved_identically(gold_run, tmp_path):
    out = tmp_path / "again"
    code = runner.main(
        [
            "--dataset",
            "folio",
            "--translations",
            str(gold_run / "samples.jsonl"),
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    before = {
        json.loads(line)["id"]: json.loads(line)["prediction"]
        for line in open(gold_run / "samples.jsonl")
    }
    after = {
        json.loads(line)["id"]: json.loads(line)["prediction"]
        for line in open(out / "samples.jsonl")
    }
    assert before == after


def _re_solve_args(tmp_path, rows, *extra):
    """Writes `rows` as a translations file and gives the runner flags that re-solve them for
    FOLIO_dev_0 and FOLIO_dev_1."""
    translations = tmp_path / "t.jsonl"
    translations.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return [
        "--dataset",
        "folio",
        "--ids",
        "FOLIO_dev_0,FOLIO_dev_1",
        "--translations",
        str(translations),
        *extra,
    ]


def test_translations_file_with_several_samples_votes(tmp_path):
    rows = [
        {
            "id": "FOLIO_dev_0",
            "samples": [
                {"premises": ["P(a)"], "conclusion": "P(a)"},
                {"premises": ["broken("], "conclusion": "P(a)"},
                {"premises": ["P(a)", "Q(b)"], "conclusion": "Q(a)"},
                {"premises": ["P(a)"], "conclusion": "P(a)"},
            ],
        },
    ]
    out = tmp_path / "out"
    args = _re_solve_args(tmp_path, rows)
    assert runner.main(args + ["--out", str(out), "--quiet"]) == 0
    records = {json.loads(line)["id"]: json.loads(line) for line in open(out / "samples.jsonl")}
    assert records["FOLIO_dev_0"]["votes"] == {"True": 2, "Uncertain": 1}
    assert records["FOLIO_dev_0"]["prediction"] == "True"
    assert [s["status"] for s in records["FOLIO_dev_0"]["samples"]][1] == "parse_error"
    assert (
        records["FOLIO_dev_1"]["missing_translation"]
        and records["FOLIO_dev_1"]["prediction"] is None
    )
    results = json.loads((out / "results.json").read_text())
    assert results["n"] == 2 and results["executable_rate"] == 0.5


def test_a_re_solve_with_sample_more_undecided_votes_only_where_the_first_is_undecided(tmp_path):
    proved = {"premises": ["P(a)"], "conclusion": "P(a)"}
    refuted = {"premises": ["P(a)"], "conclusion": "¬P(a)"}
    undecided = {"premises": ["P(a)"], "conclusion": "Q(a)"}
    rows = [
        {"id": "FOLIO_dev_0", "samples": [proved, refuted, refuted]},
        {"id": "FOLIO_dev_1", "samples": [undecided, refuted, undecided]},
    ]
    args = _re_solve_args(tmp_path, rows, "--vote", "proof", "--quiet")
    assert runner.main(args + ["--out", str(tmp_path / "a"), "--sample-more", "undecided"]) == 0
    assert runner.main(args + ["--out", str(tmp_path / "b")]) == 0
    a = {
        json.loads(line)["id"]: json.loads(line) for line in open(tmp_path / "a" / "samples.jsonl")
    }
    b = {
        json.loads(line)["id"]: json.loads(line) for line in open(tmp_path / "b" / "samples.jsonl")
    }
    assert (a["FOLIO_dev_0"]["prediction"], a["FOLIO_dev_0"]["votes"]) == ("True", {"True": 1})
    assert b["FOLIO_dev_0"]["prediction"] == "False"  # all three vote: two refute it
    assert a["FOLIO_dev_1"]["prediction"] == b["FOLIO_dev_1"]["prediction"] == "False"
    config = json.loads((tmp_path / "a" / "results.json").read_text())["config"]
    assert config["sample_more"] == "undecided" and config["vote"] == "proof"


def test_a_re_solve_breaks_a_tied_vote_by_the_saved_log_probabilities(tmp_path):
    proved = {"premises": ["P(a)"], "conclusion": "P(a)"}
    refuted = {"premises": ["P(a)"], "conclusion": "¬P(a)"}
    rows = [
        {
            "id": "FOLIO_dev_0",
            "samples": [{**proved, "logprob": -5.0}, {**refuted, "logprob": -1.0}],
        },
        {"id": "FOLIO_dev_1", "samples": [proved, refuted]},  # none saved: the first sample's label
    ]
    out = tmp_path / "out"
    args = _re_solve_args(tmp_path, rows)
    assert runner.main(args + ["--out", str(out), "--quiet"]) == 0
    records = {json.loads(line)["id"]: json.loads(line) for line in open(out / "samples.jsonl")}
    assert records["FOLIO_dev_0"]["prediction"] == "False"
    assert [s["logprob"] for s in records["FOLIO_dev_0"]["samples"]] == [-5.0, -1.0]
    assert records["FOLIO_dev_1"]["prediction"] == "True"


def test_bad_arguments_are_clear_errors(tmp_path, capsys):
    assert (
        runner.main(["--dataset", "proofwriter", "--translations", "gold", "--out", str(tmp_path)])
        == 2
    )
    assert "no gold FOL" in capsys.readouterr().err
    assert (
        runner.main(
            [
                "--dataset",
                "folio",
                "--translations",
                str(tmp_path / "nope.jsonl"),
                "--out",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "not found" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    assert (
        runner.main(["--dataset", "folio", "--translations", str(bad), "--out", str(tmp_path)]) == 2
    )
    assert "line 1" in capsys.readouterr().err
    assert (
        runner.main(["--dataset", "folio", "--ids", "FOLIO_dev_9999", "--out", str(tmp_path)]) == 2
    )
    assert "unknown ids" in capsys.readouterr().err


def test_provider_failures_are_recorded_per_item_and_the_run_goes_on(tmp_path):
    from neurologic.providers.base import ProviderTimeout
    from neurologic.providers.scripted import ScriptedProvider
    from neurologic.reasoner import Reasoner

    symbols = "Dog(x): x is a dog\nconstants: rex"
    provider = ScriptedProvider(
        [ProviderTimeout("no answer in 60 s"), symbols, "Dog(rex)", "Dog(rex)"]
    )
    one = EntailmentItem(
        id="a", premises=("Rex is a dog.",), conclusion="Rex is a dog.", label="True"
    )
    reasoner = Reasoner(provider=provider, solver="z3", parser="llm", declare="problem")
    results = runner.run(
        [
            one,
            EntailmentItem(id="b", premises=one.premises, conclusion=one.conclusion, label="True"),
        ],
        None,
        reasoner,
        tmp_path,
        {"dataset": "folio", "subset": "x"},
        quiet=True,
    )
    records = [json.loads(line) for line in open(tmp_path / "samples.jsonl")]
    assert records[0]["prediction"] is None and "ProviderTimeout" in records[0]["errors"][0]
    assert records[1]["prediction"] == "True"
    assert results["n"] == 2 and results["accuracy"] == 0.5
    assert results["manifest"]["provider"]["provider"] == "scripted"


def test_controlled_english_runs_proofwriter_with_no_model(tmp_path):
    code = runner.main([*cnl_proofwriter_args("linc360", 40), "--out", str(tmp_path), "--quiet"])
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["n"] == 40 and results["accuracy"] >= 0.95
    assert results["usage"] == {"calls": 0} or results["usage"].get("calls", 0) == 0
    record = json.loads((tmp_path / "samples.jsonl").read_text().splitlines()[0])
    assert record["trace"][0]["step"] == "cnl" and all(record["trace"][0]["covered"])


# ---------------------------------------------------------------- cache, concurrency, sampling

NAMES = ("rex", "tom", "ann", "bob", "eve", "max", "sam", "zoe")
SYMBOLS_ALL = "Dog(x): x is a dog\nCat(x): x is a cat\nconstants: " + ", ".join(NAMES)


def _script(request, _sample):
    """Deterministic answers keyed on the request's content (any order of calls)."""
    if not request.stop:
        return SYMBOLS_ALL
    import re

    from neurologic.language.quantifiers import opens_universally

    found = re.search(r"(\w+) is an? (dog|cat)\.?\s*$", request.messages[-1].content)
    if found is None:  # a sentence of another dataset: a well-formed line its words allow
        sentence = request.messages[-1].content.split(":", 1)[-1]
        return "∀x (Dog(x) → Dog(x))" if opens_universally(sentence) else "Dog(rex)"
    return f"{found.group(2).capitalize()}({found.group(1).lower()})"


def _items():
    items = []
    for i, name in enumerate(NAMES):
        kind = ("dog", "cat")[i % 2]
        asked = ("dog", "cat")[(i // 2) % 2]
        items.append(
            EntailmentItem(
                id=f"pet_{i}",
                premises=(f"{name.capitalize()} is a {kind}.",),
                conclusion=f"{name.capitalize()} is a {asked}.",
                label="True" if kind == asked else "Uncertain",
            )
        )
    return items


def _scripted_run(out, cache=None, concurrency=1, **reasoner_options):
    from neurologic.providers.scripted import ScriptedProvider
    from neurologic.reasoner import Reasoner

    scripted = ScriptedProvider(_script)
    provider = Metered(scripted) if cache is None else MeteredCache(scripted, cache)
    reasoner_options.setdefault("readings", 0)  # these tests count the calls of one reading
    reasoner_options.setdefault("samples", 1)  # ... of one translation, or of every one drawn
    reasoner_options.setdefault("sample_more", "always")
    reasoner_options.setdefault("vote", "majority")
    reasoner = Reasoner(
        provider=provider, solver="z3", parser="llm", declare="problem", **reasoner_options
    )
    config = {"dataset": "pets", "subset": "all", "seed": 0}
    results = runner.run(_items(), None, reasoner, out, config, quiet=True, concurrency=concurrency)
    close_provider(provider)
    return scripted, results, [json.loads(line) for line in open(out / "samples.jsonl")]


def _without_timing(record):
    drop = {"elapsed_s"}
    return {k: v for k, v in record.items() if k not in drop and k != "samples"} | {
        "samples": [{k: v for k, v in s.items() if k != "elapsed_s"} for s in record["samples"]]
    }


def test_a_warm_cache_makes_a_rerun_call_no_model(tmp_path):
    cache = tmp_path / "cache"
    first, results, records = _scripted_run(tmp_path / "a", cache=cache)
    assert len(first.requests) == 8 * 3  # symbols + premise + conclusion per item
    assert results["accuracy"] == 1.0
    assert results["usage"]["model_calls"] == 24 and results["usage"]["cache_hits"] == 0
    assert all(r["usage"]["model_calls"] == 3 and r["usage"]["cache_hits"] == 0 for r in records)
    again, rerun, rerecords = _scripted_run(tmp_path / "b", cache=cache)
    assert again.requests == []  # nothing reached the model
    assert rerun["usage"]["model_calls"] == 0 and rerun["usage"]["cache_hits"] == 24
    assert all(r["usage"]["cache_hits"] == 3 for r in rerecords)
    assert [r["prediction"] for r in rerecords] == [r["prediction"] for r in records]


def test_four_workers_give_the_records_of_one(tmp_path):
    _, one, serial = _scripted_run(tmp_path / "one", samples=2)
    _, four, parallel = _scripted_run(tmp_path / "four", concurrency=4, samples=2)
    by_id = {r["id"]: _without_timing(r) for r in parallel}
    assert len(parallel) == 8 and by_id == {r["id"]: _without_timing(r) for r in serial}
    assert {k: v for k, v in four.items() if k not in ("timing", "manifest")} == {
        k: v for k, v in one.items() if k not in ("timing", "manifest")
    }
    assert all(r["usage"]["model_calls"] == 5 for r in parallel)  # per item, not mixed up


@pytest.fixture
def scripted_cli(monkeypatch):
    """`--provider scripted:` answers with _script; the list holds each provider the runner made."""
    from neurologic.providers.scripted import ScriptedProvider

    made = []

    def scripted(spec, **options):
        made.append(ScriptedProvider(_script))
        return made[-1]

    monkeypatch.setattr(run_provider, "get_provider", scripted)
    return made


def _scripted_folio_args(*extra):
    """Runner flags: FOLIO_dev_0 translated by the scripted provider with the LLM parser."""
    return [
        "--dataset",
        "folio",
        "--ids",
        "FOLIO_dev_0",
        "--provider",
        "scripted:",
        "--parser",
        "llm",
        *extra,
    ]


def test_the_manifest_records_sampling_and_seed_reaches_requests(tmp_path, scripted_cli):
    made = scripted_cli
    common = _scripted_folio_args(
        "--samples",
        "2",
        "--sample-more",
        "always",
        "--refine-rounds",
        "0",
        "--quiet",
        "--no-cache",
    )
    assert (
        runner.main(common + ["--out", str(tmp_path / "a"), "--seed", "7", "--temperature", "0.3"])
        == 0
    )
    assert (
        runner.main(common + ["--out", str(tmp_path / "b"), "--seed", "7", "--temperature", "0.9"])
        == 0
    )
    a = json.loads((tmp_path / "a" / "results.json").read_text())
    b = json.loads((tmp_path / "b" / "results.json").read_text())
    assert (
        a["manifest"]["sampling"]["temperature"] == 0.3
        and b["manifest"]["sampling"]["temperature"] == 0.9
    )
    assert a["manifest"]["sampling"]["seed"] == 7 and a["manifest"]["sampling"]["samples"] == 2
    assert a["manifest"]["sampling"]["max_tokens"]["per_line"] > 0
    assert a["config"]["cache"] is False and a["config"]["parser"] == "llm"
    assert a["config"]["readings"] == 4  # the default, recorded
    assert {r.seed for r in made[0].requests} == {7, 8}  # sample k is drawn with seed + k
    assert {r.temperature for r in made[0].requests} == {0.0, 0.3}
    assert a["usage"]["model_calls"] == len(made[0].requests)


def test_the_recorded_config_holds_every_reasoner_option_as_the_flags_set_it():
    from benchmarks.run_options import build_parser
    from benchmarks.run_options import check_args
    from benchmarks.run_options import reasoner_config
    from benchmarks.run_options import run_config
    from neurologic.config import ReasonerConfig

    args = build_parser().parse_args(
        [
            "--dataset",
            "folio",
            "--out",
            "unused",
            "--grounding",
            "redraw",
            "--timeout",
            "3",
            "--no-fallback",
            "--alternatives",
            "2",
        ]
    )
    check_args(args)
    config = run_config(args)
    options = reasoner_config(args).to_dict()
    for name in ReasonerConfig.model_fields:
        if name not in ("provider", "provider_options"):
            assert config[name] == options[name], name
    assert config["grounding"] == "redraw" and config["timeout_s"] == 3.0
    assert config["fallback"] is False and config["alternatives"] == 2


def test_the_cli_cache_flag_and_default(tmp_path, monkeypatch, scripted_cli):
    made = scripted_cli
    monkeypatch.setenv("NEUROLOGIC_CACHE_DIR", str(tmp_path / "env-cache"))
    args = _scripted_folio_args("--refine-rounds", "0", "--quiet")
    assert runner.main(args + ["--out", str(tmp_path / "a")]) == 0
    assert (tmp_path / "env-cache").is_dir() and made[0].requests
    assert runner.main(args + ["--out", str(tmp_path / "b")]) == 0
    assert made[1].requests == []
    results = json.loads((tmp_path / "b" / "results.json").read_text())
    assert results["config"]["cache"] is True and results["usage"]["model_calls"] == 0
    # translating, the Reasoner's vote is the default; re-solving saved samples, every one votes
    assert (
        results["config"]["samples"],
        results["config"]["vote"],
        results["config"]["sample_more"],
    ) == (3, "proof", "undecided")
    assert str(tmp_path) not in json.dumps(results["config"])  # the cache path is not recorded
    assert (
        runner.main(args + ["--out", str(tmp_path / "c"), "--cache", str(tmp_path / "other")]) == 0
    )
    assert made[2].requests and (tmp_path / "other").is_dir()


def test_a_llamacpp_provider_runs_one_item_at_a_time(capsys):
    from neurologic.providers.scripted import ScriptedProvider

    local = ScriptedProvider(["x"])
    local.name = "llamacpp"
    assert runner._concurrency(4, local) == 1
    assert "--concurrency 4 ignored" in capsys.readouterr().err
    assert runner._concurrency(4, ScriptedProvider(["x"])) == 4


def test_bad_sampling_arguments_are_clear_errors(tmp_path, capsys):
    base = ["--dataset", "folio", "--out", str(tmp_path)]
    assert runner.main(base + ["--concurrency", "0"]) == 2
    assert "--concurrency" in capsys.readouterr().err
    assert runner.main(base + ["--temperature", "-1"]) == 2
    assert "--temperature" in capsys.readouterr().err
    assert runner.main(base + ["--path", "x.txt"]) == 2
    assert "--path is only for" in capsys.readouterr().err
    assert runner.main(base + ["--readings", "-1"]) == 2
    assert "--readings: must be 0 or more, not -1" in capsys.readouterr().err


def test_manifest_records_grammar_hashes():
    from benchmarks.manifest import manifest

    grammars = manifest("z3")["grammars"]
    assert set(grammars) == {"fol_parser", "gbnf_generator", "controlled_english"}
    assert all(isinstance(h, str) and len(h) == 16 for h in grammars.values())


def _gold_folio_args(out, limit, *extra):
    """Runner flags for the first `limit` FOLIO items with their gold FOL, written to `out`."""
    return [
        "--dataset",
        "folio",
        "--translations",
        "gold",
        "--limit",
        str(limit),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def test_resuming_with_a_different_stack_is_refused(tmp_path, capsys):
    out = tmp_path / "run"

    def args(limit, *extra):
        return _gold_folio_args(out, limit, *extra)

    assert runner.main(args(2)) == 0
    assert json.loads((out / "stack.json").read_text())["manifest"]["solver"] == "z3"
    assert runner.main(args(3)) == 0  # a longer --limit resumes the same run
    assert len((out / "samples.jsonl").read_text().splitlines()) == 3
    # another solver would mix two systems in one file
    assert runner.main(args(4, "--solver", "prover9")) == 2
    err = capsys.readouterr().err
    assert "different inference stack" in err and "manifest.solver" in err
    assert len((out / "samples.jsonl").read_text().splitlines()) == 3
    assert runner.main(args(4, "--solver", "prover9", "--force-resume")) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["n"] == 4 and results["manifest"]["solver"] == "z3"
    assert any(c["key"] == "manifest.solver" for c in results["resumed_with_a_different_stack"])


def test_records_of_unknown_origin_are_not_resumed(tmp_path, capsys):
    out = tmp_path / "old"
    args = _gold_folio_args(out, 2)
    assert runner.main(args) == 0
    (out / "stack.json").unlink()  # as a run written without one
    assert runner.main(args) == 2
    assert "no stack.json" in capsys.readouterr().err
    assert runner.main(args + ["--force-resume"]) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["resumed_with_a_different_stack"][0]["key"] == "stack.json"


def test_a_commit_outside_the_inference_code_keeps_a_run_resumable(tmp_path, capsys):
    out = tmp_path / "run"

    def args(limit):
        return _gold_folio_args(out, limit)

    assert runner.main(args(2)) == 0
    stack = json.loads((out / "stack.json").read_text())
    assert (
        len(stack["manifest"]["code"]["sha256"]) == 16 and stack["manifest"]["code"]["files"] > 20
    )
    stack["manifest"]["git_commit"] = "0" * 40  # results committed since: the code is the same
    (out / "stack.json").write_text(json.dumps(stack))
    assert runner.main(args(3)) == 0
    stack["manifest"]["code"]["sha256"] = "0" * 16  # the inference code changed
    (out / "stack.json").write_text(json.dumps(stack))
    assert runner.main(args(4)) == 2
    assert "manifest.code.sha256" in capsys.readouterr().err


def test_a_run_is_re_solved_as_it_stood_after_an_earlier_refinement_round(tmp_path, capsys):
    from benchmarks.records import read_translations
    from neurologic.providers.scripted import ScriptedProvider
    from neurologic.reasoner import Reasoner

    item = EntailmentItem(
        id="a", premises=("Rex is a dog.",), conclusion="Rex is a dog.", label="True"
    )
    other = EntailmentItem(
        id="b", premises=("Tom is a cat.",), conclusion="Tom is a cat.", label="True"
    )
    # P1 does not parse; the one refinement round fixes it
    provider = ScriptedProvider(
        ["Dog(x): x is a dog\nconstants: rex", "Dog(rex) → →", "Dog(rex)", "Dog(rex)"]
    )
    config = {"dataset": "folio", "subset": "x"}
    reasoner = Reasoner(
        provider=provider, solver="z3", parser="llm", declare="problem", alternatives=0
    )
    runner.run([item], None, reasoner, tmp_path / "run", config, quiet=True)
    saved = tmp_path / "run" / "samples.jsonl"
    assert read_translations(saved, at_round=0) == {"a": [(["Dog(rex) → →"], "Dog(rex)", None)]}
    assert (
        read_translations(saved, at_round=1)
        == read_translations(saved)
        == {"a": [(["Dog(rex)"], "Dog(rex)", None)]}
    )
    r0 = runner.run(
        [item],
        read_translations(saved, at_round=0),
        Reasoner(solver="z3"),
        tmp_path / "r0",
        config,
        quiet=True,
    )
    assert r0["executable_rate"] == 0.0 and r0["accuracy"] == 0.0
    # an item the file lacks is recorded as missing, not translated, even with a provider
    idle = ScriptedProvider([])
    runner.run(
        [item, other],
        read_translations(saved),
        Reasoner(provider=idle, solver="z3"),
        tmp_path / "r1",
        config,
        quiet=True,
    )
    records = {r["id"]: r for r in map(json.loads, open(tmp_path / "r1" / "samples.jsonl"))}
    assert records["a"]["prediction"] == "True" and records["b"]["missing_translation"]
    assert idle.requests == []
    assert (
        runner.main(
            [
                "--dataset",
                "folio",
                "--at-round",
                "0",
                "--limit",
                "1",
                "--out",
                str(tmp_path / "x"),
                "--quiet",
            ]
        )
        == 2
    )
    assert "--translations RUN/samples.jsonl" in capsys.readouterr().err


def test_the_manifest_records_the_cpu_and_a_resume_on_another_cpu_is_refused(tmp_path, capsys):
    from benchmarks.manifest import cpu_identity

    info = "processor\t: 0\nmodel name\t: Example CPU 9000\nflags\t\t: fpu sse4_2 avx2 fma mmx\n"
    assert cpu_identity(info) == {"model": "Example CPU 9000", "simd": ["avx2", "fma", "sse4_2"]}
    assert cpu_identity("Features\t: fp asimd sve\n")["simd"] == ["asimd", "sve"]
    out = tmp_path / "run"
    assert runner.main(_gold_folio_args(out, 2)) == 0
    stack = json.loads((out / "stack.json").read_text())
    assert stack["manifest"]["machine"]["cpu"] == cpu_identity()
    stack["manifest"]["machine"]["cpu"] = {"model": "Another CPU", "simd": ["sse4_2"]}
    (out / "stack.json").write_text(json.dumps(stack))
    assert runner.main(_gold_folio_args(out, 3)) == 2
    assert "manifest.machine.cpu" in capsys.readouterr().err
